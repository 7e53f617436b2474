"""core.exports: the one streaming CSV writer (the audit log's export uses it; metrics will)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from core.exports import csv_lines, csv_response, csv_safe


def _parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


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
    rows = _parse("".join(csv_lines(["v"], [["=1+1"], [-5]])))
    assert rows[1] == ["'=1+1"]
    assert rows[2] == ["-5"]  # a number is a number, not a formula


def test_response_is_a_streamed_download():
    response = csv_response(filename="ruche-test.csv", header=["a"], rows=iter([["1"]]))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ruche-test.csv"'
    assert b"".join(response.streaming_content) == b"a\r\n1\r\n"
