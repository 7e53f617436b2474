"""French is complete: every string of the governance catalogue is translated, and pages speak
French to a French-speaking employee."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

import console
import governance

EMPTY_TRANSLATION = re.compile(r'^msgstr(\[\d+\])? ""\n(?!")', re.M)

CATALOGUES = [
    Path(app.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    for app in (governance, console)
]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=["governance", "console"])
def test_no_empty_or_fuzzy_translation(catalogue):
    text = catalogue.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the header has an empty msgstr by design
    assert entries
    assert "#, fuzzy" not in text
    for entry in entries:
        # An empty translation is `msgstr ""` (or `msgstr[n] ""`) with no continuation line;
        # a long one starts with `msgstr ""` and goes on with quoted lines.
        assert not EMPTY_TRANSLATION.search(entry.rstrip() + "\n"), entry


@pytest.mark.django_db
def test_pages_in_french(client, employee, charter):
    employee.preferred_language = "fr"
    employee.save()
    client.force_login(employee)
    client.cookies["ruche_language"] = "fr"
    page = client.get(reverse("governance:charter")).content.decode()
    assert "Accepter la charte" in page
    assert escape(charter.title_fr) in page
    calendar = client.get(reverse("governance:calendar")).content.decode()
    assert "Calendrier éditorial" in calendar
