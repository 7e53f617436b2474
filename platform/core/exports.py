"""CSV exports, streamed: the one place that writes CSV for a download (the audit log and every
metrics table).

What a person gets is a file their spreadsheet opens as they read it:
- UTF-8 with a byte-order mark first: without it, Excel (the French edition above all) reads
  the file in the machine's legacy code page and "Côté" becomes "CÃ´tÃ©";
- every text cell neutralised against spreadsheet formulas (CSV injection): a cell that starts
  with = + - @ (or a tab or carriage return) is prefixed with an apostrophe. Pass numbers as
  numbers: they are written as is;
- durations as `Duration(seconds)`: written "2 h 05 min", not a raw number of seconds;
- the header and the cells in the reader's language. The rows are written as the response is
  sent, which under ASGI is after the view returned and in another thread: the language active
  when `csv_response` was called is put back around every row, so lazy strings (headers, choice
  labels) and durations come out in the reader's language, not the server's.

Rows are written as the database yields them (`QuerySet.iterator()`), so an export of a table
that grows without bound never holds it in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# U+FEFF, which UTF-8 writes as EF BB BF: how spreadsheets recognise a UTF-8 file.
BOM = "\ufeff"


@dataclass(frozen=True)
class Duration:
    """A length of time, in seconds; a CSV cell writes it in hours and minutes."""

    seconds: float


def duration_text(seconds: float) -> str:
    """ "2 h 05 min", "45 min": hours and minutes with their units, rounded to the minute."""
    sign = "−" if seconds < 0 else ""  # a minus sign (U+2212): never read as a formula
    hours, minutes = divmod(round(abs(seconds) / 60), 60)
    if hours:
        text = _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    else:
        text = _("%(minutes)d min") % {"minutes": minutes}
    return sign + text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to format one row at a
    time into the streamed response."""

    def write(self, value: str) -> str:
        return value


def csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas: neutralise them."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Duration):
        return duration_text(value.seconds)
    if isinstance(value, bool):  # before numbers: True is an int
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return value  # a number, even a negative one, is not a formula
    # Text, and anything else written as text (lazy translations, choice labels, dates).
    return csv_safe(str(value))


def csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text, one line at a time: the header, then each row (None becomes an empty
    cell, text is made formula-safe, a Duration reads in hours and minutes)."""
    writer = csv.writer(_Echo())
    yield writer.writerow([_cell(label) for label in header])
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def _in_language(lines: Iterator[str], language: str | None) -> Iterator[str]:
    """Each line produced with `language` active, and only while it is produced: between two
    lines the server thread may serve someone else, so the override never spans a yield."""
    while True:
        with translation.override(language):
            line = next(lines, None)
        if line is None:
            return
        yield line


def csv_response(
    *, filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download named `filename`: the BOM, the header, then the rows, all in the
    language active now (the reader's)."""
    lines = _in_language(csv_lines(header, rows), translation.get_language())
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    yield BOM
    yield from lines
