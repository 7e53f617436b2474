"""An executive names a delegate by their name, as the people picker shows it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from blogs.models import Delegation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sophie(db):
    return UserFactory(username="sophie.laurent", first_name="Sophie", last_name="Laurent")


def test_a_full_name_is_accepted(login, executive, sophie):
    response = login(executive).post(reverse("blogs:delegates"), {"username": "Sophie Laurent"})
    assert response.status_code == 302
    assert Delegation.objects.filter(executive=executive, delegate=sophie).exists()


def test_the_username_the_picker_submits_is_accepted(login, executive, sophie):
    login(executive).post(reverse("blogs:delegates"), {"username": "sophie.laurent"})
    assert Delegation.objects.filter(executive=executive, delegate=sophie).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Several people are called “Sophie Laurent”"),
        ("fr", "Plusieurs personnes s’appellent « Sophie Laurent »"),
    ],
)
def test_an_ambiguous_name_is_refused_with_the_text_kept(
    login, executive, sophie, language, message
):
    UserFactory(username="sophie.laurent.rh", first_name="Sophie", last_name="Laurent")
    executive.preferred_language = language  # the interface follows the person's language
    executive.save(update_fields=["preferred_language"])
    response = login(executive).post(reverse("blogs:delegates"), {"username": "Sophie Laurent"})
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="Sophie Laurent"' in html
    assert not Delegation.objects.exists()


def test_nobody_and_oneself_are_refused(login, executive):
    client = login(executive)
    with translation.override("en"):
        response = client.post(reverse("blogs:delegates"), {"username": "Nobody Here"})
        assert "Nobody active is called “Nobody Here”" in response.content.decode()
        response = client.post(reverse("blogs:delegates"), {"username": executive.name})
        assert "You cannot be your own delegate." in response.content.decode()
    assert not Delegation.objects.exists()


def test_the_form_loads_the_people_picker(login, executive):
    html = login(executive).get(reverse("blogs:delegates")).content.decode()
    assert "data-people-picker" in html and "core/people-picker.js" in html
