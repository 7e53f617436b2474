"""The people picker's endpoint (`people:pick`) and the person field of forms (`PersonField`)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from people.forms import PersonField
from people.selectors import PICK_LIMIT
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("people:pick")


@pytest.fixture
def sophie(db):
    marketing = DepartmentFactory(name="Marketing et communication", slug="marketing")
    return UserFactory(
        username="sophie.laurent",
        first_name="Sophie",
        last_name="Laurent",
        job_title="Responsable de communauté",
        department=marketing,
    )


def _pick(client, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    return response.json()["results"]


def test_finds_people_by_name_job_title_and_department(employee_client, sophie):
    assert [p["username"] for p in _pick(employee_client, "Sophie Laurent")] == ["sophie.laurent"]
    assert [p["username"] for p in _pick(employee_client, "laur")] == ["sophie.laurent"]
    assert [p["username"] for p in _pick(employee_client, "communauté")] == ["sophie.laurent"]
    assert [p["username"] for p in _pick(employee_client, "marketing")] == ["sophie.laurent"]
    (result,) = _pick(employee_client, "sophie")
    assert result == {
        "username": "sophie.laurent",
        "name": "Sophie Laurent",
        "job_title": "Responsable de communauté",
        "department": "Marketing et communication",
        "avatar_url": "",
    }


def test_deactivated_people_never_appear(employee_client, sophie):
    sophie.is_active = False
    sophie.save(update_fields=["is_active"])
    assert _pick(employee_client, "Sophie") == []
    assert _pick(employee_client, "sophie.laurent") == []


def test_an_empty_or_blank_query_finds_nobody(employee_client, sophie):
    assert _pick(employee_client, "") == []
    assert _pick(employee_client, "   ") == []
    assert employee_client.get(URL).json() == {"results": []}


def test_at_most_ten_people_in_one_bounded_query(employee_client, django_assert_max_num_queries):
    department = DepartmentFactory(name="Service client", slug="service-client")
    UserFactory.create_batch(25, last_name="Moreau", department=department)
    with django_assert_max_num_queries(4):  # session, user, the search
        results = _pick(employee_client, "Moreau")
    assert len(results) == PICK_LIMIT


def test_a_long_or_odd_query_is_no_error(employee_client, sophie):
    assert _pick(employee_client, "x" * 5000) == []
    assert _pick(employee_client, "% _ ' \" ; -- *") == []


def test_anonymous_visitors_get_no_names(client, sophie):
    response = client.get(URL, {"q": "Sophie"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert b"sophie" not in response.content.lower()


def test_only_get(employee_client):
    assert employee_client.post(URL, {"q": "x"}).status_code == 405


class TestPersonField:
    def test_accepts_a_username_or_a_unique_full_name(self, sophie):
        field = PersonField()
        assert field.clean("sophie.laurent") == sophie
        assert field.clean("@sophie.laurent") == sophie
        assert field.clean("Sophie Laurent") == sophie
        assert field.clean("  sophie   LAURENT ") == sophie

    def test_says_when_nobody_or_several_people_match(self, sophie):
        from django import forms

        UserFactory(username="sophie.laurent2", first_name="Sophie", last_name="Laurent")
        field = PersonField()
        with pytest.raises(forms.ValidationError) as several:
            field.clean("Sophie Laurent")
        with pytest.raises(forms.ValidationError) as nobody:
            field.clean("Personne Inconnue")
        with translation.override("en"):
            assert "Several people are called “Sophie Laurent”" in several.value.messages[0]
        with translation.override("fr"):
            assert (
                "Aucun collègue actif ne s’appelle « Personne Inconnue »"
                in (nobody.value.messages[0])
            )

    def test_a_deactivated_person_is_nobody(self, sophie):
        from django import forms

        sophie.is_active = False
        sophie.save(update_fields=["is_active"])
        with pytest.raises(forms.ValidationError):
            PersonField().clean("Sophie Laurent")

    def test_the_widget_asks_the_picker(self):
        html = str(PersonField().widget.render("person", ""))
        assert f'data-people-picker="{URL}"' in html and 'autocomplete="off"' in html


def test_an_administrator_names_a_manager_by_name(client, administrator, employee, sophie):
    client.force_login(administrator)
    url = reverse("people:profile_edit", args=[employee.username])
    page = client.get(url).content.decode()
    assert "data-people-picker" in page and "core/people-picker.js" in page
    response = client.post(
        url, {"job_title": "Analyste", "preferred_language": "fr", "manager": "Sophie Laurent"}
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.manager == sophie
    edit = client.get(url).content.decode()
    assert 'value="sophie.laurent"' in edit  # the picker shows the name from the username
    response = client.post(url, {"preferred_language": "fr", "manager": "Personne Inconnue"})
    assert response.status_code == 200 and 'value="Personne Inconnue"' in response.content.decode()
    employee.refresh_from_db()
    assert employee.manager == sophie
