"""The one write of the ROI worksheet: saving the assumptions as a new version.

A version is never changed: each save writes the next one (the current worksheet is the
latest), with its author, time and note, and an entry in the governance audit log saying what
changed. Editing assumptions is configuration, not participation: no participation event
(like the maturity criteria).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.refusals import Refusal
from governance.services import audit_record
from people.models import User
from roi.models import LineKind, Period, Worksheet, WorksheetLine, WorksheetVersion
from roi.permissions import can_edit_worksheet

# The assumptions a version holds, in the order the form and the history show them.
MONEY_FIELDS = [
    "hourly_cost",
    "minutes_per_answer",
    "minutes_per_connection",
    "hours_per_newcomer",
    "minutes_per_person_reached",
    "licence_cost_per_year",
    "staff_cost_per_year",
]
ASSUMPTION_FIELDS = ["currency", *MONEY_FIELDS]
MAX_AMOUNT = Decimal("999999999999.99")  # what the columns hold (14 digits, 2 decimals)
MAX_LINES = 30  # per table: a worksheet, not a ledger
WORKSHEET_PK = 1  # the organisation has one worksheet


class WorksheetError(Refusal):
    """A refused save of the worksheet: nothing is written (core.refusals)."""


@dataclass(frozen=True)
class LineInput:
    kind: str
    label: str
    amount: Decimal | None = None
    period: str = ""


def _amount(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise WorksheetError(
            _("%(label)s: enter a number.") % {"label": label}, field=field
        ) from None
    if not amount.is_finite():
        raise WorksheetError(_("%(label)s: enter a number.") % {"label": label}, field=field)
    if amount < 0:
        raise WorksheetError(
            _("%(label)s: an amount cannot be negative.") % {"label": label}, field=field
        )
    if amount > MAX_AMOUNT:
        raise WorksheetError(
            _("%(label)s: this amount is too large.") % {"label": label}, field=field
        )
    return amount.quantize(Decimal("0.01"))


def assumption_label(name: str) -> str:
    """The name of an assumption as the form, the refusals and the history show it."""
    field = WorksheetVersion._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _clean_assumptions(values: Mapping[str, Any]) -> dict[str, Any]:
    currency = str(values.get("currency", "")).strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise WorksheetError(
            _("Give the currency as its three-letter code (EUR, CAD, USD…)."), field="currency"
        )
    cleaned: dict[str, Any] = {"currency": currency}
    for name in MONEY_FIELDS:
        label = assumption_label(name)
        if values.get(name) in (None, ""):
            raise WorksheetError(_("%(label)s: enter a number.") % {"label": label}, field=name)
        cleaned[name] = _amount(values[name], name, label)
    return cleaned


def _clean_lines(lines: Sequence[LineInput]) -> list[LineInput]:
    tables: dict[str, str] = {
        LineKind.COST: _("Costs"),
        LineKind.BENEFIT: _("Tangible benefits"),
        LineKind.INTANGIBLE: _("Intangible benefits"),
    }
    cleaned: list[LineInput] = []
    counts: dict[str, int] = dict.fromkeys(tables, 0)
    for line in lines:
        if line.kind not in tables:
            raise WorksheetError(_("A line belongs to no table."))
        counts[line.kind] += 1
        where = _("%(table)s, line %(n)d") % {"table": tables[line.kind], "n": counts[line.kind]}
        label = line.label.strip()
        if not label:
            raise WorksheetError(_("%(where)s: describe the line.") % {"where": where})
        if len(label) > 200:
            raise WorksheetError(_("%(where)s: 200 characters at most.") % {"where": where})
        if line.kind == LineKind.INTANGIBLE:
            # Intangible benefits are stated, not priced: that is what makes them intangible.
            cleaned.append(LineInput(line.kind, label))
            continue
        if line.amount is None:
            raise WorksheetError(_("%(where)s: give an amount.") % {"where": where})
        if line.period not in Period.values:
            raise WorksheetError(
                _("%(where)s: say whether the amount is one-off, per month or per year.")
                % {"where": where}
            )
        cleaned.append(LineInput(line.kind, label, _amount(line.amount, "", where), line.period))
    for kind, n in counts.items():
        if n > MAX_LINES:
            raise WorksheetError(
                _("%(table)s: %(max)d lines at most.") % {"table": tables[kind], "max": MAX_LINES}
            )
    return cleaned


def line_text(line: LineInput | WorksheetLine) -> str:
    """A line as the audit log and the history keep it (in the writer's language)."""
    if line.amount is None:
        return f"{LineKind(line.kind).label}: {line.label}"
    return f"{LineKind(line.kind).label}: {line.label}, {line.amount} ({Period(line.period).label})"


def version_state(version: WorksheetVersion | None) -> dict[str, Any]:
    """The assumptions and lines of a version, as comparable plain values (JSON for the
    audit log); empty before the first version."""
    if version is None:
        return {}
    state: dict[str, Any] = {name: str(getattr(version, name)) for name in ASSUMPTION_FIELDS}
    state["lines"] = [line_text(line) for line in version.lines.all()]
    return state


def worksheet_version_save(
    *,
    actor: User,
    assumptions: Mapping[str, Any],
    lines: Sequence[LineInput],
    note: str = "",
    at: datetime | None = None,
) -> WorksheetVersion:
    """Write the next version of the worksheet with these assumptions and lines.

    Refused (nothing written) when the person may not edit it, when a value is not a number,
    negative or too large, when a line lacks its description, amount or period, and when
    nothing changed since the current version."""
    if not can_edit_worksheet(actor):
        raise PermissionDenied
    values = _clean_assumptions(assumptions)
    cleaned = _clean_lines(lines)
    note = note.strip()
    if len(note) > 300:
        raise WorksheetError(_("The note has 300 characters at most."), field="note")
    now = at or timezone.now()
    with transaction.atomic():
        Worksheet.objects.get_or_create(pk=WORKSHEET_PK, defaults={"created_at": now})
        # Locked: two saves at once get consecutive numbers and each compares with the other.
        worksheet = Worksheet.objects.select_for_update().get(pk=WORKSHEET_PK)
        previous = worksheet.versions.prefetch_related("lines").order_by("-number").first()
        before = version_state(previous)
        after: dict[str, Any] = {name: str(value) for name, value in values.items()}
        after["lines"] = [line_text(line) for line in cleaned]
        if before == after:
            raise WorksheetError(_("Nothing changed: no new version was written."))
        version = WorksheetVersion.objects.create(
            worksheet=worksheet,
            number=(previous.number + 1) if previous else 1,
            author=actor,
            created_at=now,
            note=note,
            **values,
        )
        WorksheetLine.objects.bulk_create(
            WorksheetLine(
                version=version,
                kind=line.kind,
                position=position,
                label=line.label,
                amount=line.amount,
                period=line.period,
            )
            for position, line in enumerate(cleaned)
        )
        changed = [k for k in after if before.get(k) != after[k]]
        audit_record(
            actor=actor,
            action="roi.saved",
            target=version,
            before={k: before[k] for k in changed if k in before},
            after={**{k: after[k] for k in changed}, "note": note},
        )
    return version
