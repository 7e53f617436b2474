from __future__ import annotations

import pytest

from tests.governance.factories import PublishedCharterFactory


@pytest.fixture
def charter(db):
    return PublishedCharterFactory()


@pytest.fixture
def manager(db):
    from tests.factories import UserFactory

    return UserFactory(username="sophie.manager", first_name="Sophie", last_name="Laurent")


@pytest.fixture
def community(manager, employee, colleague):
    from communities.models import Role
    from tests.communities.factories import CommunityFactory, MembershipFactory

    community = CommunityFactory(slug="qualite", name="Qualité", created_by=manager)
    MembershipFactory(community=community, user=manager, role=Role.MANAGER)
    MembershipFactory(community=community, user=employee)
    MembershipFactory(community=community, user=colleague)
    return community


@pytest.fixture
def thread(community, colleague):
    from tests.communities.factories import ThreadFactory

    return ThreadFactory(community=community, author=colleague, title="Un sujet délicat")


@pytest.fixture
def reply(thread, colleague):
    from interactions.services import comment_create

    return comment_create(author=colleague, target=thread, body="Une réponse déplacée")
