"""What is kept under the people generation (people.generation): the directory as rendered and
each person's navigation. Each is checked against a cold rendering (an empty cache) after the
changes people make every day: a rename, a new hire, a departure, a department renamed, a new
department head. A sign-in, which stamps only `last_login`, changes nothing and bumps nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people import generation
from people import services as people_services
from people.views import PEOPLE_PER_PAGE
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/people/"


def listing(client: Client, query: str = "") -> str:
    response = client.get(DIRECTORY, {"q": query} if query else {})
    assert response.status_code == 200
    found = re.search(r'<div class="two-columns">.*</aside>', response.content.decode(), re.S)
    assert found, "the directory shows no list"
    return found.group(0)


def cold(client: Client, query: str = "") -> str:
    cache.clear()  # sessions fall back to the database
    return listing(client, query)


@pytest.fixture
def reader(employee) -> Client:
    client = Client()
    client.force_login(employee)
    return client


def test_the_directory_is_served_from_the_cache_as_a_cold_rendering_gives_it(reader):
    sales = DepartmentFactory(name="Ventes")
    for i in range(5):
        UserFactory(first_name=f"Nom{i}", department=sales)
    first = listing(reader)
    with CaptureQueriesContext(connection) as again:
        kept = listing(reader)
    assert kept == first
    assert not [q for q in again if 'FROM "people_user"' in q["sql"] and "COUNT" in q["sql"]]
    assert not [q for q in again if 'FROM "people_department"' in q["sql"]]
    assert kept == cold(reader)


def test_every_change_of_people_shows_in_the_directory_at_once(reader):
    sales = DepartmentFactory(name="Ventes")
    person = UserFactory(first_name="Hugo", last_name="Martin", department=sales)
    assert "Hugo" in listing(reader)

    people_services.person_directory_update(person=person, values={"first_name": "Hélène"})
    assert "Hélène" in listing(reader) and "Hugo" not in listing(reader)

    UserFactory(first_name="Nouvelle", last_name="Recrue")
    assert "Nouvelle" in listing(reader)

    sales.name = "Ventes et marketing"
    sales.save()
    assert "Ventes et marketing" in listing(reader)

    people_services.person_active_set(person=person, active=False)
    view = listing(reader)
    assert "Hélène" not in view
    assert view == cold(reader)


def test_a_search_is_never_kept_and_each_page_is_its_own(reader):
    for i in range(PEOPLE_PER_PAGE + 2):
        UserFactory(last_name=f"Zeta{i:02d}")
    assert "Zeta05" in listing(reader, "Zeta05")
    person = UserFactory(last_name="Zeta05bis")
    assert "Zeta05bis" in listing(reader, "Zeta05")
    person.delete()
    assert "Zeta05bis" not in listing(reader, "Zeta05")

    one, two = listing(reader), reader.get(DIRECTORY, {"page": 2}).content.decode()
    assert one != two
    assert "Page 2 of" in two or "Page 2 sur" in two


def test_a_sign_in_bumps_nothing(employee):
    before = generation.people_generation()
    update_last_login(type(employee), employee)  # what every sign-in runs
    employee.refresh_from_db()
    assert employee.last_login is not None
    assert generation.people_generation() == before
    employee.first_name = "Claire-Marie"
    employee.save()
    assert generation.people_generation() > before


def test_a_new_department_head_sees_the_metrics_entry_at_once(employee, reader):
    metrics = reverse("metrics:dashboard")
    page = reader.get(DIRECTORY).content.decode()
    assert f'href="{metrics}"' not in page
    DepartmentFactory(name="Finance", head=employee)
    assert f'href="{metrics}"' in reader.get(DIRECTORY).content.decode()

    # And an administrator who is no longer one loses the admin entry on their next page.
    employee.is_superuser = True
    employee.save()
    admin = reverse("wagtailadmin_home")
    assert f'href="{admin}"' in reader.get(DIRECTORY).content.decode()
    employee.is_superuser = False
    employee.save()
    assert f'href="{admin}"' not in reader.get(DIRECTORY).content.decode()
