"""French is complete: every string of the worksheet's catalogue is translated, and the edit
page speaks French to a French-speaking executive."""

from __future__ import annotations

from pathlib import Path

import pytest

import roi
from tests.factories import ExecutiveFactory

CATALOGUE = Path(roi.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_no_empty_or_fuzzy_translation():
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the header has an empty msgstr by design
    assert len(entries) > 100
    assert "#, fuzzy" not in text
    for entry in entries:
        assert not entry.rstrip().endswith('msgstr ""'), entry


@pytest.mark.django_db
def test_the_edit_page_in_french(client):
    executive = ExecutiveFactory(username="dg", preferred_language="fr")
    client.force_login(executive)
    page = client.get("/roi/edit/").content.decode()
    assert "Modifier les hypothèses" in page
    assert "Coût horaire d’un employé" in page
    assert "Enregistrer une nouvelle version" in page
