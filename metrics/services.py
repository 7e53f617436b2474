"""Metrics' own writes: the rollups of the event log and the maturity criteria. Participation
events themselves are written by `activity.services` (metrics only reads them).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from governance.services import audit_record
from metrics.models import MaturityCriteria, RolledDay, ScopeDay
from metrics.permissions import can_edit_criteria
from metrics.rollups import days_between, pending_days, rollup_days
from metrics.snapshots import snapshot_days
from metrics.stage import criteria_current, criteria_for, stage_of
from people.models import User

# --- Rollups and criteria ---------------------------------------------------------------------


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def metrics_refresh(*, since: date | None = None, until: date | None = None) -> list[date]:
    """Roll up what is new and refresh the snapshots that depend on it; returns the days rolled.

    Without `since`: the days never rolled up to `until` (yesterday by default) and the dirty
    days (late events). With `since`: every day from `since` to `until` is rolled again.
    Each day is one transaction, so a crash leaves finished days done and the rest pending
    (dirty or never rolled): the next run resumes and gives the same numbers.
    """
    until = until or yesterday()
    days = days_between(since, until) if since else pending_days(until)
    rollup_days(days)
    # A day's snapshot reads the 30 days before it and cumulative figures (charter,
    # membership): every snapshot from the first changed day on is refreshed, including
    # those a crashed run rolled up but did not snapshot.
    first = (
        RolledDay.objects.filter(snapshot_pending=True)
        .order_by("day")
        .values_list("day", flat=True)
        .first()
    )
    last = RolledDay.objects.order_by("-day").values_list("day", flat=True).first()
    if first is not None and last is not None:
        snapshot_days(_days_from(first, last), latest=last)
    return days


def _days_from(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def criteria_audit_state(criteria: MaturityCriteria) -> dict[str, Any]:
    """Every threshold, as the audit log keeps it (the defaults when none was saved yet)."""
    return {
        field.name: getattr(criteria, field.name)
        for field in MaturityCriteria._meta.concrete_fields
        if field.name not in ("id", "updated_at")
    }


def criteria_update(*, actor: User, data: dict[str, Any]) -> MaturityCriteria:
    """Replace the maturity thresholds (administrators only) and re-evaluate the stored stages.

    `data` has been validated by `metrics.forms.CriteriaForm`; nothing is written when the
    permission check fails. Threshold edits are configuration, not participation: no event.
    """
    if not can_edit_criteria(actor):
        raise PermissionDenied
    with transaction.atomic():
        current = MaturityCriteria.objects.select_for_update().order_by("-pk").first()
        criteria = current if current is not None else criteria_current()
        before = criteria_audit_state(criteria)
        for name, value in data.items():
            setattr(criteria, name, value)
        criteria.save()
        after = criteria_audit_state(criteria)
        if after != before:
            audit_record(
                actor=actor,
                action="criteria.updated",
                target=criteria,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )
        # The history is re-read with the new thresholds so that the path stays comparable.
        changed = []
        for row in ScopeDay.objects.all().iterator(chunk_size=2000):
            stage = stage_of(criteria_for(row, criteria))
            if stage != row.stage:
                row.stage = stage
                changed.append(row)
        ScopeDay.objects.bulk_update(changed, ["stage"], batch_size=2000)
    return criteria
