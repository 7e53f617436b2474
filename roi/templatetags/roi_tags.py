"""How the worksheet prints its numbers, in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from metrics.formatting import metric

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """Two decimals with the locale's separators; "–" when there is nothing to divide by."""
    if value is None:
        return "–"
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


@register.filter
def measured(value: float | int | None, fmt: str) -> str:
    """A measured figure as the metrics dashboards print it."""
    return metric(value, fmt)
