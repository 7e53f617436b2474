from __future__ import annotations

import pytest

from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture
def sales(db):
    return DepartmentFactory(name="Ventes", slug="ventes")


@pytest.fixture
def finance(db):
    return DepartmentFactory(name="Finance", slug="finance")


@pytest.fixture
def communications(db):
    return UserFactory(
        username="lea.comms", first_name="Léa", last_name="Roux", is_communications=True
    )


@pytest.fixture
def staff(sales, finance):
    """Six people in sales, two in finance (a small group), English and French speakers."""
    people = [
        UserFactory(
            username=f"sales{i}", department=sales, preferred_language="fr" if i % 2 else "en"
        )
        for i in range(6)
    ]
    people += [UserFactory(username=f"finance{i}", department=finance) for i in range(2)]
    return people
