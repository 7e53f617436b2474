from __future__ import annotations

import pytest

from communities.models import AccessMode, Role, ThreadKind
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.factories import UserFactory


@pytest.fixture
def manager(db):
    return UserFactory(username="sophie.manager", first_name="Sophie", last_name="Laurent")


@pytest.fixture
def outsider(db):
    return UserFactory(username="olivier.outsider", first_name="Olivier", last_name="Dehors")


def _community(manager, member, access, slug):
    community = CommunityFactory(access=access, slug=slug, name=slug.title(), created_by=manager)
    MembershipFactory(community=community, user=manager, role=Role.MANAGER)
    MembershipFactory(community=community, user=member)
    return community


@pytest.fixture
def open_community(manager, employee):
    return _community(manager, employee, AccessMode.OPEN, "open-club")


@pytest.fixture
def request_community(manager, employee):
    return _community(manager, employee, AccessMode.BY_REQUEST, "request-club")


@pytest.fixture
def private_community(manager, employee):
    return _community(manager, employee, AccessMode.PRIVATE, "secret-council")


@pytest.fixture
def thread(open_community, manager):
    """A discussion in the open community, started by its manager."""
    return ThreadFactory(
        community=open_community, author=manager, kind=ThreadKind.DISCUSSION, title="Nos outils"
    )
