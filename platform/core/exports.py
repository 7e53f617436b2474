"""CSV exports, streamed: the one place that writes CSV for a download (the audit log today,
metrics' exports later).

Rows are written as the database yields them (`QuerySet.iterator()`), so an export of a table
that grows without bound never holds it in memory. Every text cell is neutralised against
spreadsheet formulas (CSV injection): a cell that starts with = + - @ (or a tab or carriage
return) is prefixed with an apostrophe. Pass numbers as numbers: they are written as is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    if isinstance(value, str):
        return csv_safe(value)
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text, one line at a time: the header, then each row (None becomes an empty
    cell, text is made formula-safe)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download named `filename`."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
