"""Department objectives as read: each objective with its actual value, its trend and its pace
(planned against actual), for the department page, the weekly e-mail and the administrators'
dashboard. Every figure comes from the daily snapshots (`ScopeDay`), never from the events;
the rules are `metrics.definitions.objective_value` and `objective_pace`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from metrics import definitions as d
from metrics.models import DepartmentObjective, ScopeDay
from people.models import Department

VERDICTS: dict[str, Promise] = {
    d.MET: _("target reached"),
    d.WILL_BE_MET: _("will be met at the current pace"),
    d.WILL_NOT_BE_MET: _("will not be met at the current pace"),
    d.NOT_ENOUGH_DATA: _("not enough data to project"),
    d.MISSED: _("target date passed without the target reached"),
}


@dataclass(frozen=True)
class ObjectiveProgress:
    """An objective against its metric on `day` (the latest day computed, None before any)."""

    objective: DepartmentObjective
    day: date | None
    actual: float | None
    trend: float | None
    pace: d.Pace

    @property
    def label(self) -> str | Promise:
        return self.objective.metric_label

    @property
    def value_format(self) -> str:
        return self.objective.value_format

    @property
    def trend_format(self) -> str:
        return "pts" if self.objective.is_percent else "signed"

    @property
    def verdict(self) -> Promise:
        return VERDICTS[self.pace.verdict]


def current_objectives(department_ids: list[int] | None = None) -> QuerySet[DepartmentObjective]:
    """The objective in force of each department (of `department_ids` if given)."""
    found = DepartmentObjective.objects.filter(superseded_at__isnull=True)
    if department_ids is not None:
        found = found.filter(department_id__in=department_ids)
    return found.select_related("department", "set_by").order_by("department__name")


def objective_history(department: Department) -> QuerySet[DepartmentObjective]:
    """Every objective the department has had, the current one first."""
    return DepartmentObjective.objects.filter(department=department).select_related("set_by")


def objectives_progress(
    objectives: list[DepartmentObjective], day: date | None
) -> list[ObjectiveProgress]:
    """Each objective against its department's snapshots of the 30 days ending on `day`: one
    query whatever the number of objectives."""
    if day is None:
        return [
            ObjectiveProgress(o, None, None, None, d.Pace(d.NOT_ENOUGH_DATA, None, None))
            for o in objectives
        ]
    before = day - timedelta(days=d.WINDOW_DAYS)
    rows: dict[int, dict[date, ScopeDay]] = defaultdict(dict)
    for row in ScopeDay.objects.filter(
        department_id__in={o.department_id for o in objectives}, day__range=(before, day)
    ):
        if row.department_id is not None:
            rows[row.department_id][row.day] = row
    return [_progress(o, rows[o.department_id], day) for o in objectives]


def _progress(
    objective: DepartmentObjective, rows: dict[date, ScopeDay], day: date
) -> ObjectiveProgress:
    def value(on: date) -> float | None:
        row = rows.get(on)
        return d.objective_value(objective.metric, row) if row is not None else None

    actual = value(day)
    earlier = value(day - timedelta(days=d.WINDOW_DAYS))
    trend = actual - earlier if actual is not None and earlier is not None else None
    days_left = (objective.target_date - day).days
    if days_left <= 0:
        # The date has come: the verdict is the fact, not a projection.
        reached = actual is not None and actual >= objective.target
        pace = d.Pace(d.MET if reached else d.MISSED, None, None)
    else:
        points = []
        for offset in range(-d.PACE_DAYS + 1, 1):
            found = value(day + timedelta(days=offset))
            if found is not None:
                points.append((offset, found))
        pace = d.objective_pace(points, target=objective.target, days_left=days_left)
    return ObjectiveProgress(objective, day, actual, trend, pace)


def department_objective_progress(
    department: Department, day: date | None
) -> ObjectiveProgress | None:
    objective = current_objectives([department.pk]).first()
    if objective is None:
        return None
    return objectives_progress([objective], day)[0]
