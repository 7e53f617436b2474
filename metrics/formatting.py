"""How a metric value is printed, in the active language. The separators are looked up once
per language: a dashboard prints thousands of cells, and Django's per-call number_format
was most of its rendering time."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _


@lru_cache(maxsize=8)
def _separators(language: str | None) -> tuple[str, str]:
    return formats.get_format("DECIMAL_SEPARATOR"), formats.get_format("THOUSAND_SEPARATOR")


def _number(value: float, decimals: int, grouped: bool = False) -> str:
    decimal, thousand = _separators(get_language())
    text = f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousand)


def duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)02d") % {"h": hours, "m": minutes}
    return _("%(d)d days") % {"d": round(hours / 24)}


def metric(value, fmt: str = "num") -> str:
    """A value as the dashboard prints it; "–" when there is nothing to measure."""
    if isinstance(value, tuple):  # ("pct", 12.5) facts, or (12.5, "pct") cells
        value, fmt = value if not isinstance(value[0], str) else (value[1], value[0])
    if value is None or value == "":
        return "–"
    if fmt == "pct":
        return f"{_number(value, 1)} %"
    if fmt == "pts":
        sign = "+" if value > 0 else ""
        return _("%(sign)s%(value)s pts") % {"sign": sign, "value": _number(value, 1)}
    if fmt == "signed" and isinstance(value, int | float):  # a change in a count of people
        return ("+" if value > 0 else "") + _number(value, 0, grouped=True)
    if fmt == "seconds":
        return duration(value)
    if fmt == "int" and isinstance(value, int | float):
        return _number(value, 0, grouped=True)
    if fmt == "month" and isinstance(value, date):
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if fmt == "date" and isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if fmt == "num" and isinstance(value, float):
        return _number(value, 2)
    if fmt == "num" and isinstance(value, int):
        return _number(value, 0, grouped=True)
    return str(value)


def cell(value, fmt: str) -> str:
    if fmt == "mixed" and isinstance(value, tuple):
        return metric(value[0], value[1])
    return metric(value, fmt)
