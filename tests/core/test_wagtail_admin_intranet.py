"""Wagtail's editor as part of the intranet: Ruche's name, colours and way back, words for an
intranet, no workflow button, the employee's own language, nothing fetched from outside."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from blogs import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(employee):
    return services.post_create(actor=employee, title="Un billet", body="Du texte.", publish=True)


def _edit_page(client, user, post, language="en") -> str:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(post.pk,)))
    assert response.status_code == 200
    return response.content.decode()


def test_the_editor_is_ruche(client, employee, post):
    html = _edit_page(client, employee, post)
    assert re.search(r"<title>[^<]*- Ruche</title>", html)
    assert "core/wagtail-admin.css" in html
    assert "Back to Ruche" in html and '"url": "/"' in html
    assert "ruche-admin-logo" in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_words_for_a_public_website_and_no_workflow(client, employee, executive, post, language):
    html = _edit_page(client, employee, post, language)
    for words in (
        "seen by the public",
        "Once live anyone can view",
        "Not visible to the public",
        "Visible to all",
        "Moderators approval",
        "Submit to",
        "Soumettre",
        "gravatar",
    ):
        assert words not in html, words
    expected = {
        "en": ("Visible to every employee", "as your colleagues will see it"),
        "fr": ("Visible par tous les salariés", "tel que vos collègues le verront"),
    }[language]
    for words in expected:
        assert words in html


@pytest.mark.parametrize(
    ("language", "search", "other"),
    [("en", "Search", "Rechercher"), ("fr", "Rechercher", "Search")],
)
def test_the_image_chooser_speaks_the_employee_language(client, employee, language, search, other):
    employee.preferred_language = language
    employee.save(update_fields=["preferred_language"])
    client.force_login(employee)
    modal = client.get(reverse("wagtailimages_chooser:choose")).json()["html"]
    tab = re.search(r'id="tab-label-search"[^>]*>\s*([^<]+?)\s*<', modal)
    assert tab is not None and tab.group(1) == search
    assert other not in modal


def test_the_dashboard_has_no_wagtail_news(client, employee, settings):
    client.force_login(employee)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "whats_new_in_wagtail_version" not in html
    assert "guide.wagtail.org" not in html and "gravatar" not in html
    assert settings.WAGTAIL_WORKFLOW_ENABLED is False
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
