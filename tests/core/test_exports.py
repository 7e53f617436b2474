"""core.exports: the one streaming CSV writer (the audit log's and every metrics table's).

The tests read the bytes a person downloads: what their spreadsheet opens."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy

from core.exports import BOM, Duration, csv_lines, csv_response, csv_safe, duration_text

UTF8_BOM = b"\xef\xbb\xbf"


def _parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _download(response) -> bytes:
    return b"".join(response.streaming_content)


def _rows(data: bytes) -> list[list[str]]:
    """What a spreadsheet reads: UTF-8 announced by its byte-order mark."""
    return _parse(data.decode("utf-8-sig"))


def test_lines_are_written_as_the_rows_come():
    """A generator in, a generator out: nothing is read before the response asks for it, so an
    export of a table that grows without bound never sits in memory."""
    consumed: list[int] = []

    def rows() -> Iterator[list[object]]:
        for n in range(3):
            consumed.append(n)
            yield [n, f"ligne {n}"]

    lines = csv_lines(["n", "text"], rows())
    assert consumed == []
    assert next(lines) == "n,text\r\n"
    assert consumed == []
    assert next(lines) == "0,ligne 0\r\n"
    assert consumed == [0]
    assert list(lines) == ["1,ligne 1\r\n", "2,ligne 2\r\n"]


def test_the_response_streams_too():
    consumed: list[int] = []

    def rows() -> Iterator[list[object]]:
        for n in range(2):
            consumed.append(n)
            yield [n]

    content = iter(csv_response(filename="x.csv", header=["n"], rows=rows()).streaming_content)
    assert next(content) == UTF8_BOM
    assert next(content) == b"n\r\n"
    assert consumed == []
    assert list(content) == [b"0\r\n", b"1\r\n"]


def test_escaping_quotes_separators_and_new_lines():
    text = "".join(
        csv_lines(
            ["a", "b", "c"],
            [
                ['il a dit "oui"', "un, deux", "ligne 1\nligne 2"],
                [None, 12, 3.5],
                ["é ü 漢", "", "x"],
            ],
        )
    )
    assert _parse(text) == [
        ["a", "b", "c"],
        ['il a dit "oui"', "un, deux", "ligne 1\nligne 2"],
        ["", "12", "3.5"],
        ["é ü 漢", "", "x"],
    ]


def test_formulas_are_neutralised_numbers_are_not():
    for dangerous in ("=HYPERLINK(evil)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_safe(dangerous) == "'" + dangerous
    assert csv_safe("Claire") == "Claire"
    assert csv_safe("") == ""
    rows = _parse("".join(csv_lines(["v"], [["=1+1"], [-5], [Decimal("-2.50")]])))
    assert rows[1] == ["'=1+1"]
    assert rows[2] == ["-5"]  # a number is a number, not a formula
    assert rows[3] == ["-2.50"]
    # A header is text like any other cell (a metrics column may be named after a community).
    assert _parse("".join(csv_lines(["=evil()"], [])))[0] == ["'=evil()"]


def test_the_download_starts_with_a_bom_and_keeps_accents_and_neutralises_formulas():
    """The bytes a French Excel opens: the UTF-8 byte-order mark first (without it Excel reads
    "Côté" as "CÃ´tÃ©"), accents written in UTF-8, '=1+1' as text."""
    response = csv_response(
        filename="ruche-test.csv",
        header=["Nom", "Durée"],
        rows=iter([["Pierre Côté", "=1+1"], ["Zoë Ångström", Duration(7500)]]),
    )
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ruche-test.csv"'
    data = _download(response)
    assert data.startswith(UTF8_BOM)
    assert data.count(UTF8_BOM) == 1
    assert "Pierre Côté".encode() in data
    assert _rows(data) == [
        ["Nom", "Durée"],
        ["Pierre Côté", "'=1+1"],
        ["Zoë Ångström", "2 h 05 min"],
    ]
    assert BOM == "\ufeff"


def test_durations_read_in_hours_and_minutes_with_units():
    assert duration_text(7500) == "2 h 05 min"
    assert duration_text(22 * 3600) == "22 h 00 min"
    assert duration_text(50 * 3600 + 60) == "50 h 01 min"  # hours, not days: one unit a column
    assert duration_text(45 * 60 + 20) == "45 min"
    assert duration_text(0) == "0 min"
    assert duration_text(-90) == "−2 min"  # U+2212: a spreadsheet never takes it for a formula
    assert _parse("".join(csv_lines(["d"], [[Duration(3599.6)], [None]])))[1:] == [
        ["1 h 00 min"],
        [""],
    ]


def test_header_and_cells_are_in_the_language_of_the_reader_when_the_file_is_sent():
    """The rows are written while the response is sent: under ASGI, after the view returned,
    in another thread where the reader's language is no longer active. The file is still
    written in the language active when the view built the response."""
    with translation.override("fr"):
        response = csv_response(
            filename="x.csv",
            header=[gettext_lazy("yes"), gettext_lazy("Home")],
            rows=iter([[True, gettext_lazy("no")]]),
        )
    with translation.override("en"):
        rows = _rows(_download(response))
    assert rows == [["oui", "Accueil"], ["oui", "non"]]
    with translation.override("en"):
        response = csv_response(filename="x.csv", header=[gettext_lazy("Home")], rows=[])
    with translation.override("fr"):
        assert _rows(_download(response)) == [["Home"]]
