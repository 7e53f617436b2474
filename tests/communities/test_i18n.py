"""Communities speak French as well as English, and the catalogue is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import communities

CATALOGUE = Path(communities.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_has_no_empty_or_fuzzy_entry():
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        assert not re.search(r'^msgstr(\[\d\])? ""$', entry, re.M) or re.search(
            r'^msgstr(\[\d\])? ""\n"', entry, re.M
        ), entry


@pytest.mark.django_db
def test_directory_and_community_page_in_french(client, employee, open_community):
    employee.preferred_language = "fr"
    employee.save()
    client.force_login(employee)
    page = client.get(reverse("communities:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Créer une communauté" in page
    page = client.get(open_community.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Lancer un fil" in page.content.decode()
