"""Metrics' own writes: the rollups of the event log and the maturity criteria. Participation
events themselves are written by `activity.services` (metrics only reads them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.refusals import Refusal
from governance.services import audit_record
from metrics.locking import computation_lock
from metrics.models import MaturityCriteria, RolledDay, ScopeDay
from metrics.permissions import can_edit_criteria
from metrics.rollups import days_between, pending_days, rollup_days
from metrics.snapshots import snapshot_days
from metrics.stage import criteria_current, criteria_for, stage_of
from people.models import User

# --- Rollups and criteria ---------------------------------------------------------------------


def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


class MetricsInputError(Refusal):
    """A computation asked for days that cannot be computed (nothing is written)."""


def check_range(since: date | None, until: date | None) -> None:
    """Refuse a range that ends in the future or starts after it ends."""
    today = timezone.localdate()
    if until is not None and until > today:
        raise MetricsInputError(
            _("%(day)s is in the future: the last day computed can be today at most.")
            % {"day": until.isoformat()}
        )
    if since is not None and since > (until or yesterday()):
        raise MetricsInputError(_("The first day must not be after the last day."))


def metrics_refresh(
    *,
    since: date | None = None,
    until: date | None = None,
    wait: bool = True,
    timeout: float | None = None,
    on_wait: Callable[[], None] | None = None,
) -> list[date]:
    """Roll up what is new and refresh the snapshots that depend on it; returns the days rolled.

    The one entry point of every computation (nightly task, "Recompute now", the command, the
    demo). One computation at a time (`metrics.locking`): a second caller waits (`wait`, up to
    `timeout` seconds, `on_wait` called once to say so) or gets `ComputationBusy`.

    Without `since`: the days never rolled up to `until` (yesterday by default), the dirty
    days (late events) and the days rolled before they were over. With `since`: every day from
    `since` to `until` is rolled again. What is still to do is written in the same
    transaction as the work that makes it so: rolling a day up clears its dirty mark and marks
    the snapshots of that day and of every later day (their windows and cumulative figures
    contain it); a snapshot clears only its own day's mark. A crash at any point leaves the
    next run exactly what is missing.
    """
    check_range(since, until)
    until = until or yesterday()
    with computation_lock(wait=wait, timeout=timeout, on_wait=on_wait):
        days = days_between(since, until) if since else pending_days(until)
        rollup_days(days)
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
