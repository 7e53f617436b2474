"""The maturity stage (Forrester's scale) from a day's metrics and the criteria in force.

The stage is the highest one whose criteria all hold, the stages below it included (Dormant
always holds; see `stage_of`). For a department
the same criteria apply to its people; the criteria about "departments" then look at that one
department (a count of departments is capped at the departments in scope, and the requirement
shown is that cap), and for a department without executives the executive criteria are "not
applicable": shown so, and left out of the stage (the stage is decided by the criteria that
apply; `NOT_APPLICABLE_RULE`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from core.measures import StageMeasure
from metrics.models import MaturityCriteria, ScopeDay, Stage


@dataclass(frozen=True)
class Criterion:
    """One criterion on one day. Label and what is missing are rendered only when read: the
    nightly job evaluates thousands of criteria and reads none of their texts."""

    key: str
    stage: Stage
    label_text: Callable[[], str | Promise]
    actual: float | None
    required: float
    percent: bool
    holds: bool
    missing_text: Callable[[], str]
    # False when the criterion cannot apply to the scope (a department with no executive):
    # it does not hold the stage back and is shown as "not applicable", never as met.
    applicable: bool = True

    @property
    def label(self) -> str:
        return str(self.label_text())

    @property
    def missing(self) -> str:
        """What is still missing, with the number ("" when it holds)."""
        return "" if self.holds else str(self.missing_text())


def _needed(required_share: float, total: int) -> int:
    return math.ceil(required_share / 100 * total - 1e-9)


def _share(n: int, total: int) -> float | None:
    return 100.0 * n / total if total else None


def criteria_for(row: ScopeDay, c: MaturityCriteria) -> list[Criterion]:
    """Every criterion of every stage above Dormant, evaluated on one day's metrics."""
    department = row.department_id is not None
    pop = row.population
    out: list[Criterion] = []

    def add(key, stage, label, actual, required, percent, holds, missing, applicable=True):
        out.append(
            Criterion(key, stage, label, actual, required, percent, holds, missing, applicable)
        )

    def threshold(template, value):
        return lambda: _(template) % {"n": _fmt(value)}

    def people_criterion(key, stage, label, have, required):
        need = max(_needed(required, pop), 1 if required > 0 else 0)
        more = max(need - have, 0)

        def missing():
            if not pop:
                return _("nobody is in this scope yet")
            return ngettext(
                "%(n)d more person needs to %(what)s", "%(n)d more people need to %(what)s", more
            ) % {"n": more, "what": _PEOPLE_VERBS[key]}

        add(key, stage, label, _share(have, pop), required, True, pop > 0 and have >= need, missing)

    def executives_criterion(key, stage, label, have, required):
        if department and row.executives == 0:
            add(key, stage, label, None, required, True, True, str, applicable=False)
            return
        need = _needed(required, row.executives)
        more = max(need - have, 0)

        def missing():
            if not row.executives:
                return _("there is no executive account")
            return ngettext(
                "%(n)d more executive needs to %(what)s",
                "%(n)d more executives need to %(what)s",
                more,
            ) % {"n": more, "what": _PEOPLE_VERBS[key]}

        holds = row.executives > 0 and have >= need
        add(key, stage, label, _share(have, row.executives), required, True, holds, missing)

    def departments_criterion(key, stage, label, have, need_count, required, percent):
        more = max(need_count - have, 0)
        add(
            key,
            stage,
            label,
            _share(have, row.departments) if percent else have,
            required if percent else need_count,
            percent,
            row.departments > 0 and have >= need_count,
            lambda: (
                ngettext(
                    "%(n)d more department needs %(what)s",
                    "%(n)d more departments need %(what)s",
                    more,
                )
                % {"n": more, "what": _DEPARTMENT_NEEDS[key]}
            ),
        )

    # Testing
    people_criterion(
        "testing_adoption",
        Stage.TESTING,
        threshold("adoption rate ≥ %(n)s %%", c.testing_adoption),
        row.engaged,
        c.testing_adoption,
    )
    spaces_more = max(c.testing_active_spaces - row.active_spaces, 0)
    add(
        "testing_active_spaces",
        Stage.TESTING,
        threshold(
            "at least %(n)s blog or community active in the last 30 days", c.testing_active_spaces
        ),
        row.active_spaces,
        c.testing_active_spaces,
        False,
        row.active_spaces >= c.testing_active_spaces,
        lambda: (
            ngettext(
                "%(n)d more blog or community needs activity",
                "%(n)d more blogs or communities need activity",
                spaces_more,
            )
            % {"n": spaces_more}
        ),
    )
    # Coordinating
    people_criterion(
        "coordinating_adoption",
        Stage.COORDINATING,
        threshold("adoption rate ≥ %(n)s %%", c.coordinating_adoption),
        row.engaged,
        c.coordinating_adoption,
    )
    charter_label = threshold(
        "charter published and accepted by ≥ %(n)s %%", c.coordinating_charter
    )
    if not row.charter_published:
        add(
            "coordinating_charter",
            Stage.COORDINATING,
            charter_label,
            None,
            c.coordinating_charter,
            True,
            False,
            lambda: _("the usage charter must be published"),
        )
    else:
        people_criterion(
            "coordinating_charter",
            Stage.COORDINATING,
            charter_label,
            row.charter_accepted,
            c.coordinating_charter,
        )
    departments_criterion(
        "coordinating_departments",
        Stage.COORDINATING,
        threshold("contributors in ≥ %(n)s departments", c.coordinating_departments),
        row.departments_with_contributor,
        min(c.coordinating_departments, row.departments)
        if department
        else c.coordinating_departments,
        c.coordinating_departments,
        False,
    )
    communities_more = max(c.coordinating_cross_communities - row.cross_department_communities, 0)
    add(
        "coordinating_cross_communities",
        Stage.COORDINATING,
        threshold("at least %(n)s cross-department community", c.coordinating_cross_communities),
        row.cross_department_communities,
        c.coordinating_cross_communities,
        False,
        row.cross_department_communities >= c.coordinating_cross_communities,
        lambda: (
            ngettext(
                "%(n)d more community needs members from several departments",
                "%(n)d more communities need members from several departments",
                communities_more,
            )
            % {"n": communities_more}
        ),
    )
    # Scaling
    people_criterion(
        "scaling_adoption",
        Stage.SCALING,
        threshold("adoption rate ≥ %(n)s %%", c.scaling_adoption),
        row.engaged,
        c.scaling_adoption,
    )
    departments_criterion(
        "scaling_departments",
        Stage.SCALING,
        threshold("contributors in ≥ %(n)s %% of departments", c.scaling_departments),
        row.departments_with_contributor,
        _needed(c.scaling_departments, row.departments),
        c.scaling_departments,
        True,
    )
    executives_criterion(
        "scaling_executives_posted",
        Stage.SCALING,
        threshold(
            "≥ %(n)s %% of executives posted in the last 30 days", c.scaling_executives_posted
        ),
        row.executives_posted,
        c.scaling_executives_posted,
    )
    share = _share(row.cross_department_interactions, row.interactions)
    r = c.scaling_cross_department / 100
    cross_more = (
        math.ceil((r * row.interactions - row.cross_department_interactions) / (1 - r) - 1e-9)
        if r < 1
        else 0
    )
    cross_more = max(cross_more, 1 if not row.interactions else 0, 0)
    add(
        "scaling_cross_department",
        Stage.SCALING,
        threshold("cross-department interaction ≥ %(n)s %%", c.scaling_cross_department),
        share,
        c.scaling_cross_department,
        True,
        share is not None and share >= c.scaling_cross_department,
        lambda: (
            ngettext(
                "%(n)d more comment or reply across departments is needed",
                "%(n)d more comments or replies across departments are needed",
                cross_more,
            )
            % {"n": cross_more}
        ),
    )
    # Empowered
    people_criterion(
        "empowered_adoption",
        Stage.EMPOWERED,
        threshold("adoption rate ≥ %(n)s %%", c.empowered_adoption),
        row.engaged,
        c.empowered_adoption,
    )
    people_criterion(
        "empowered_contributors",
        Stage.EMPOWERED,
        threshold("contributors ≥ %(n)s %% of employees", c.empowered_contributors),
        row.contributors,
        c.empowered_contributors,
    )
    departments_criterion(
        "empowered_departments_active",
        Stage.EMPOWERED,
        threshold("departments active ≥ %(n)s %%", c.empowered_departments_active),
        row.departments_active,
        _needed(c.empowered_departments_active, row.departments),
        c.empowered_departments_active,
        True,
    )
    executives_criterion(
        "empowered_executives",
        Stage.EMPOWERED,
        threshold(
            "≥ %(n)s %% of executives posted and replied in the last 30 days",
            c.empowered_executives,
        ),
        row.executives_posted_and_replied,
        c.empowered_executives,
    )
    answered = _share(row.threads_answered_24h, row.threads)
    answered_more = max(_needed(c.empowered_answered, row.threads) - row.threads_answered_24h, 0)

    def answered_missing():
        if not row.threads:
            return _("no thread was started in the last 30 days")
        return ngettext(
            "%(n)d more thread needed an answer within 24 h",
            "%(n)d more threads needed an answer within 24 h",
            answered_more,
        ) % {"n": answered_more}

    add(
        "empowered_answered",
        Stage.EMPOWERED,
        threshold("threads answered within 24 h ≥ %(n)s %%", c.empowered_answered),
        answered,
        c.empowered_answered,
        True,
        answered is not None and answered >= c.empowered_answered,
        answered_missing,
    )
    return out


# The templates of the labels, listed for makemessages (they are translated when rendered).
_LABELS = [
    gettext_noop("adoption rate ≥ %(n)s %%"),
    gettext_noop("at least %(n)s blog or community active in the last 30 days"),
    gettext_noop("charter published and accepted by ≥ %(n)s %%"),
    gettext_noop("contributors in ≥ %(n)s departments"),
    gettext_noop("at least %(n)s cross-department community"),
    gettext_noop("contributors in ≥ %(n)s %% of departments"),
    gettext_noop("≥ %(n)s %% of executives posted in the last 30 days"),
    gettext_noop("cross-department interaction ≥ %(n)s %%"),
    gettext_noop("contributors ≥ %(n)s %% of employees"),
    gettext_noop("departments active ≥ %(n)s %%"),
    gettext_noop("≥ %(n)s %% of executives posted and replied in the last 30 days"),
    gettext_noop("threads answered within 24 h ≥ %(n)s %%"),
]


_PEOPLE_VERBS = {
    "testing_adoption": gettext_lazy("be engaged"),
    "coordinating_adoption": gettext_lazy("be engaged"),
    "scaling_adoption": gettext_lazy("be engaged"),
    "empowered_adoption": gettext_lazy("be engaged"),
    "coordinating_charter": gettext_lazy("accept the charter"),
    "empowered_contributors": gettext_lazy("contribute"),
    "scaling_executives_posted": gettext_lazy("post"),
    "empowered_executives": gettext_lazy("post and reply"),
}
_DEPARTMENT_NEEDS = {
    "coordinating_departments": gettext_lazy("an active contributor"),
    "scaling_departments": gettext_lazy("an active contributor"),
    "empowered_departments_active": gettext_lazy("to be active"),
}


def _fmt(value: float) -> str:
    return f"{value:g}"


def stage_of(criteria: list[Criterion]) -> Stage:
    """The highest stage whose criteria all hold, climbing the scale from Dormant: a stage
    counts only when the stages below it hold too. Forrester's scale is a progression (an
    organisation does not scale what it has not coordinated), and only this reading makes
    "what is missing for the next stage" the whole list of what stands in the way."""
    reached = Stage.DORMANT
    for stage in list(Stage)[1:]:
        own = [k for k in criteria if k.stage == stage]
        if not all(k.holds for k in own):
            break
        reached = stage
    return reached


def evaluate(row: ScopeDay, c: MaturityCriteria) -> tuple[Stage, list[Criterion]]:
    """The stage, and the criteria of the next stage that do not hold yet."""
    criteria = criteria_for(row, c)
    stage = stage_of(criteria)
    if stage == Stage.EMPOWERED:
        return stage, []
    following = Stage(stage + 1)
    return stage, [k for k in criteria if k.stage == following and not k.holds]


def latest_stage() -> StageMeasure | None:
    """The organisation's stage of the latest daily snapshot, or None before the first one.
    One query. The provider metrics registers for the governance console (`core.measures`,
    from `MetricsConfig.ready()`)."""
    row = (
        ScopeDay.objects.filter(department_id__isnull=True)
        .order_by("-day")
        .only("day", "stage")
        .first()
    )
    if row is None:
        return None
    return StageMeasure(label=Stage(row.stage).label, as_of=row.day, rank=int(row.stage))


def criteria_current() -> MaturityCriteria:
    criteria = MaturityCriteria.objects.order_by("-pk").first()
    return criteria if criteria is not None else MaturityCriteria()


PACE_DAYS = 90


def project_empowered(rows: list[ScopeDay], c: MaturityCriteria) -> date | None:
    """When every Empowered criterion would hold if each keeps its pace of the last 90 days.

    Each criterion measured in percent is fitted with a least-squares line over the last 90
    days; the projection is the latest date at which a line crosses its threshold. None when
    a criterion not yet met is flat or falling (not reachable at the current pace), or cannot
    be measured (no executive, no thread).
    """
    if not rows:
        return None
    last = rows[-1]
    recent = [r for r in rows if r.day > last.day - timedelta(days=PACE_DAYS)]
    series: dict[str, list[tuple[int, float]]] = {}
    latest: dict[str, Criterion] = {}
    for r in recent:
        for k in criteria_for(r, c):
            if k.stage != Stage.EMPOWERED:
                continue
            if r is last:
                latest[k.key] = k
            if k.actual is not None:
                series.setdefault(k.key, []).append(((r.day - last.day).days, k.actual))
    reached = last.day
    for key, k in latest.items():
        if k.holds:
            continue
        points = series.get(key, [])
        slope = _slope(points)
        if k.actual is None or slope is None or slope <= 0:
            return None
        days = math.ceil((k.required - k.actual) / slope)
        reached = max(reached, last.day + timedelta(days=days))
    return reached


def _slope(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    if not var:
        return None
    return sum((x - mx) * (y - my) for x, y in points) / var
