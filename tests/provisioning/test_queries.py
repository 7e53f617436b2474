"""The SCIM lists run a bounded number of queries, flat as the directory grows."""

from __future__ import annotations

import pytest

from people.models import Department
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["Users", "Groups"])
def test_a_page_of_resources_costs_the_same_for_3_or_30(scim, django_assert_max_num_queries, path):
    department = Department.objects.create(name="Ventes", slug="ventes")
    boss = UserFactory(department=department)
    for size in (3, 30):
        while department.members.count() < size:
            UserFactory(department=department, manager=boss)
        with django_assert_max_num_queries(6):
            response = scim.get(path)
        assert response.status_code == 200, response.content
    assert scim.get("Users").json()["totalResults"] >= 30
