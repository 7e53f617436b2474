"""Ask-me-anything sessions speak French as well as English, and the catalogue is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ama
from ama import services
from tests.ama.conftest import open_session

CATALOGUE = Path(ama.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_has_no_empty_or_fuzzy_entry():
    entries = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        assert not re.search(r'^msgstr(\[\d\])? ""$', entry, re.M) or re.search(
            r'^msgstr(\[\d\])? ""\n"', entry, re.M
        ), entry


@pytest.mark.django_db
def test_session_page_in_french(client, executive, employee, colleague):
    session = open_session(executive)
    services.question_ask(author=employee, session=session, text="Budget ?", anonymous=True)
    colleague.preferred_language = "fr"
    colleague.save()
    client.force_login(colleague)
    page = client.get(session.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Collègue anonyme" in page and "Voter pour" in page and "Poser la question" in page
    page = client.get("/ama/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ouvertes en ce moment" in page
