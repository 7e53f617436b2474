"""French is complete: every string of the interactions catalogue is translated."""

from __future__ import annotations

import re
from pathlib import Path

import interactions

CATALOGUE = Path(interactions.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_no_empty_or_fuzzy_translation():
    text = CATALOGUE.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the header has an empty msgstr by design
    assert len(entries) > 50
    assert "fuzzy" not in text
    for entry in entries:
        assert not entry.rstrip().endswith('msgstr ""'), entry
        assert 'msgstr[0] ""' not in entry and 'msgstr[1] ""' not in entry, entry


def test_placeholders_survive_translation():
    text = CATALOGUE.read_text(encoding="utf-8")
    for entry in text.split("\n\n")[1:]:
        source, translation = entry.split("msgstr", 1)
        placeholders = re.compile(r"%\(\w+\)[sd]")
        assert set(placeholders.findall(source)) == set(placeholders.findall(translation)), entry
