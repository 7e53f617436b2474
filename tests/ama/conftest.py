from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ama import services
from ama.models import Audience
from communities.models import Role
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched by their English text: a French page of an earlier test must not
    leave French active in this thread."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def sales(db):
    return DepartmentFactory(name="Ventes", slug="ventes")


@pytest.fixture
def finance(db):
    return DepartmentFactory(name="Finance", slug="finance")


@pytest.fixture
def seller(sales):
    return UserFactory(
        username="paul.ventes", first_name="Paul", last_name="Girard", department=sales
    )


@pytest.fixture
def accountant(finance):
    return UserFactory(
        username="ines.finance", first_name="Inès", last_name="Morel", department=finance
    )


@pytest.fixture
def manager(db):
    return UserFactory(username="sophie.manager", first_name="Sophie", last_name="Laurent")


@pytest.fixture
def community(manager, employee):
    community = CommunityFactory(slug="qualite", name="Qualité", created_by=manager)
    MembershipFactory(community=community, user=manager, role=Role.MANAGER)
    MembershipFactory(community=community, user=employee)
    return community


def open_session(host, **changes):
    now = timezone.now()
    arguments = {
        "title": "Questions à la direction : budget 2027",
        "description": "Posez vos questions sur le budget.",
        "audience": Audience.EVERYONE,
        "starts_at": now - timedelta(minutes=5),
        "ends_at": now + timedelta(hours=1),
    }
    arguments.update(changes)
    return services.session_open(host=host, **arguments)


@pytest.fixture
def session(executive):
    return open_session(executive)
