"""Metrics' own writes: the rollups of the event log, the maturity criteria and the department
objectives. Participation
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

from core.refusals import Forbidden, Refusal
from governance.services import audit_record
from metrics.definitions import COUNT, OBJECTIVE_METRICS
from metrics.locking import computation_lock
from metrics.models import DepartmentObjective, MaturityCriteria, RolledDay, ScopeDay
from metrics.permissions import can_edit_criteria, can_set_objective
from metrics.rollups import days_between, pending_days, rollup_days
from metrics.snapshots import snapshot_days
from metrics.stage import criteria_current, criteria_for, stage_of
from people.models import Department, User

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


# --- Department objectives --------------------------------------------------------------------

POST_LINE_MAX = 2000  # characters in each of the People / Objectives / Strategy lines


class ObjectiveInputError(Refusal):
    """An objective that cannot be set as typed (nothing is written)."""


def objective_audit_state(objective: DepartmentObjective) -> dict[str, Any]:
    return {
        "metric": objective.metric,
        "target": objective.target,
        "target_date": objective.target_date.isoformat(),
        "people": objective.people,
        "objectives": objective.objectives,
        "strategy": objective.strategy,
    }


def _objective_check(
    *, metric: str, target: float, target_date: date, lines: dict[str, str]
) -> None:
    """Refuse what cannot be an objective, naming the field, before anything is written."""
    unit = OBJECTIVE_METRICS.get(metric)
    if unit is None:
        raise ObjectiveInputError(_("Choose one of the metrics in the list."), field="metric")
    if unit == COUNT:
        if not target > 0:
            raise ObjectiveInputError(
                _("The target of a count of people must be more than 0."), field="target"
            )
    elif not 0 <= target <= 100:
        raise ObjectiveInputError(
            _("The target of a rate must be a percentage between 0 and 100."), field="target"
        )
    if target_date <= timezone.localdate():
        raise ObjectiveInputError(_("The target date must be in the future."), field="target_date")
    for name, text in lines.items():
        if not text.strip():
            raise ObjectiveInputError(_("Write this line of the POST method."), field=name)
        if len(text) > POST_LINE_MAX:
            raise ObjectiveInputError(
                _("Keep this line under %(n)d characters.") % {"n": POST_LINE_MAX}, field=name
            )


@transaction.atomic
def objective_set(
    *,
    head: User,
    department: Department,
    metric: str,
    target: float,
    target_date: date,
    people: str,
    objectives: str,
    strategy: str,
) -> DepartmentObjective:
    """Set the department's one objective; the current one, if any, is kept as history.

    Only the department's head or an administrator (`Forbidden` otherwise); a target out of
    the metric's range, a date not in the future, an unknown metric or an empty POST line are
    refused with the field named, and nothing is written. Audited ("objective.set"); setting
    an objective is not participation, so no event (metrics.definitions, "objectives").
    """
    if not can_set_objective(head, department):
        raise Forbidden(
            _("Only the head of this department or an administrator may set its objective.")
        )
    lines = {"people": people, "objectives": objectives, "strategy": strategy}
    _objective_check(metric=metric, target=target, target_date=target_date, lines=lines)
    # The department row serialises two heads' (or a head's and an administrator's) saves: the
    # second one supersedes the first instead of failing on the one-current constraint.
    Department.objects.select_for_update().filter(pk=department.pk).first()
    now = timezone.now()
    previous = (
        DepartmentObjective.objects.select_for_update()
        .filter(department=department, superseded_at__isnull=True)
        .first()
    )
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at"])
    objective = DepartmentObjective.objects.create(
        department=department,
        set_by=head,
        metric=metric,
        target=float(target),
        target_date=target_date,
        created_at=now,
        **{name: text.strip() for name, text in lines.items()},
    )
    audit_record(
        actor=head,
        action="objective.set",
        target=department,
        before=objective_audit_state(previous) if previous is not None else None,
        after=objective_audit_state(objective),
    )
    return objective
