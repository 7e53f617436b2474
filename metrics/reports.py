"""What each dashboard shows, as tables (and charts drawn from those tables).

Every figure is read from the rollups and daily snapshots, never from the events. A table is
built once and serves the page, its chart and its CSV export, so the three always agree. The
permission checks happen in the views through `metrics.permissions`; the builders receive the
viewer only to apply the small-group rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from metrics import definitions as d
from metrics.formatting import cell
from metrics.models import (
    ActivityDay,
    CohortSnapshot,
    CommunitySnapshot,
    ConversationTurn,
    InteractionDay,
    LeaderViewDay,
    ScopeDay,
    Stage,
    Turn,
)
from metrics.objectives import (
    ObjectiveProgress,
    current_objectives,
    department_objective_progress,
    objectives_progress,
)
from metrics.permissions import (
    can_set_objective,
    can_view_communities,
    headed_departments,
    is_small,
    shows_small_groups,
)
from metrics.snapshots import ENGAGED_Q, Timeline, executive_timelines, window_start
from metrics.sources import all_community_ids, community_names, managed_community_ids
from metrics.stage import Criterion, criteria_current, criteria_for, evaluate, project_empowered
from people.models import Department, PersonHistory, User


@dataclass
class Table:
    key: str
    title: str | Promise
    columns: list[str | Promise]
    formats: list[str]  # per column: text, int, pct, pts, seconds, date
    rows: list[list] = field(default_factory=list)
    note: str | Promise = ""

    @property
    def display_rows(self) -> list[list[str]]:
        """The rows as printed, each cell by its column's format (computed once, in Python)."""
        fmts = self.formats
        return [[cell(value, fmts[i]) for i, value in enumerate(row)] for row in self.rows]


@dataclass
class Chart:
    kind: str  # "line" or "bar"
    title: str | Promise
    labels: list[str]
    series: list[tuple[str, list[float | None]]]
    maximum: float = 100.0
    unit: str = "%"


@dataclass
class Section:
    """A chart (optional) with the table holding its numbers."""

    table: Table
    chart: Chart | None = None
    intro: str | Promise = ""


@dataclass
class Report:
    key: str
    title: str | Promise
    day: date | None
    sections: list[Section] = field(default_factory=list)
    stage: Stage | None = None
    missing: list[Criterion] = field(default_factory=list)
    projection: date | None = None
    projection_known: bool = False
    facts: list[tuple[str, str]] = field(default_factory=list)
    note: str | Promise = ""
    # Department reports: the objective in force, whether its figures are hidden (a small
    # department seen by its head), and where the viewer may set it (None: they may not).
    objective: ObjectiveProgress | None = None
    objective_figures_hidden: bool = False
    objective_url: str = ""

    def table(self, key: str) -> Table | None:
        for section in self.sections:
            if section.table.key == key:
                return section.table
        return None


def latest_day() -> date | None:
    return (
        ScopeDay.objects.filter(department_id__isnull=True)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )


def _history(department_id: int | None, day: date) -> list[ScopeDay]:
    rows = ScopeDay.objects.filter(day__gt=day - timedelta(days=d.YEAR_DAYS), day__lte=day)
    if department_id is None:
        return list(rows.filter(department_id__isnull=True).order_by("day"))
    return list(rows.filter(department_id=department_id).order_by("day"))


def _adoption(row: ScopeDay | None) -> float | None:
    return d.adoption_rate(row.engaged, row.population) if row else None


def _month_ends(rows: list[ScopeDay]) -> list[ScopeDay]:
    """The last row of each month, and the latest row."""
    picked: dict[tuple[int, int], ScopeDay] = {}
    for row in rows:
        picked[(row.day.year, row.day.month)] = row
    return list(picked.values())


def _weekly(rows: list[ScopeDay]) -> list[ScopeDay]:
    if not rows:
        return []
    last = rows[-1].day
    return [r for r in rows if (last - r.day).days % 7 == 0]


def _stage_path(rows: list[ScopeDay], key: str) -> Section:
    months = _month_ends(rows)
    table = Table(
        key,
        gettext_lazy("Maturity path over 12 months"),
        [_("Month end"), _("Stage"), _("Adoption rate"), _("Contributors")],
        ["date", "text", "pct", "pct"],
        [
            [
                r.day,
                Stage(r.stage).label,
                _adoption(r),
                d.rate(r.contributors, r.population),
            ]
            for r in months
        ],
    )
    chart = Chart(
        "bar",
        table.title,
        [r.day.strftime("%Y-%m") for r in months],
        [(str(_("Stage")), [float(r.stage) for r in months])],
        maximum=4,
        unit="stage",
    )
    return Section(table, chart)


def _curve(
    rows: list[ScopeDay], key: str, title, organisation: list[ScopeDay] | None = None
) -> Section:
    weeks = _weekly(rows)
    org_by_day = {r.day: r for r in organisation or []}
    columns = [_("Week ending"), _("Reached"), _("Adoption rate"), _("Contributors")]
    formats = ["date", "pct", "pct", "pct"]
    if organisation is not None:
        columns.append(_("Organisation adoption rate"))
        formats.append("pct")
    table_rows = []
    for r in weeks:
        line = [
            r.day,
            d.rate(r.reached, r.population),
            _adoption(r),
            d.rate(r.contributors, r.population),
        ]
        if organisation is not None:
            line.append(_adoption(org_by_day.get(r.day)))
        table_rows.append(line)
    series = [
        (str(_("Reached")), [row[1] for row in table_rows]),
        (str(_("Adoption rate")), [row[2] for row in table_rows]),
        (str(_("Contributors")), [row[3] for row in table_rows]),
    ]
    if organisation is not None:
        series.append((str(_("Organisation adoption rate")), [row[4] for row in table_rows]))
    chart = Chart("line", title, [r.day.isoformat() for r in weeks], series)
    return Section(Table(key, title, columns, formats, table_rows), chart)


def _criteria_table(row: ScopeDay, key: str) -> Table:
    criteria = criteria_for(row, criteria_current())
    return Table(
        key,
        gettext_lazy("Maturity criteria"),
        [_("Stage"), _("Criterion"), _("Now"), _("Required"), _("Met"), _("Still missing")],
        ["text", "text", "num", "num", "text", "text"],
        [
            [
                Stage(k.stage).label,
                str(k.label),
                k.actual,
                k.required,
                _("not applicable") if not k.applicable else _("yes") if k.holds else _("no"),
                k.missing,
            ]
            for k in criteria
        ],
    )


def _summary(row: ScopeDay, key: str) -> Table:
    def line(label, value, fmt):
        return [label, value, fmt]

    facts = [
        line(_("Population"), row.population, "int"),
        line(_("Reached"), row.reached, "int"),
        line(_("Engaged"), row.engaged, "int"),
        line(_("Contributors"), row.contributors, "int"),
        line(_("Adoption rate"), _adoption(row), "pct"),
        line(_("Consumers"), row.consumers, "int"),
        line(_("Participants"), row.participants, "int"),
        line(_("Stickiness (DAU/MAU)"), d.stickiness(row.engaged_today, row.engaged), "pct"),
        line(
            _("Cross-department interaction"),
            d.cross_department_share(row.cross_department_interactions, row.interactions),
            "pct",
        ),
        line(
            _("Threads answered within 24 h"), d.rate(row.threads_answered_24h, row.threads), "pct"
        ),
        line(_("Median time to first reply"), row.median_first_reply_seconds, "seconds"),
        line(_("Charter accepted by"), d.rate(row.charter_accepted, row.population), "pct"),
    ]
    if row.department_id is None:
        facts += [
            line(_("Executives who posted"), d.rate(row.executives_posted, row.executives), "pct"),
            line(
                _("Executives who replied to others"),
                d.rate(row.executives_replied, row.executives),
                "pct",
            ),
            line(_("Contributions by the top 1 %"), row.top1_share, "pct"),
            line(_("Contributions by the next 9 %"), row.next9_share, "pct"),
            line(_("Gini coefficient of contributions"), row.gini, "num"),
        ]
    return Table(
        key,
        gettext_lazy("Key figures (last 30 days)"),
        [_("Metric"), _("Value")],
        ["text", "mixed"],
        [[label, (value, fmt)] for label, value, fmt in facts],
    )


def _stage_facts(report: Report, rows: list[ScopeDay]) -> None:
    criteria = criteria_current()
    report.stage, report.missing = evaluate(rows[-1], criteria)
    report.projection = project_empowered(rows, criteria)
    report.projection_known = True


# --- Administrators: the whole organisation --------------------------------------------------


def organisation_report() -> Report:
    day = latest_day()
    report = Report("organisation", gettext_lazy("The organisation"), day)
    if day is None:
        return report
    rows = _history(None, day)
    latest = rows[-1]
    _stage_facts(report, rows)
    report.sections.append(_stage_path(rows, "stage_path"))
    report.sections.append(_curve(rows, "adoption_curve", gettext_lazy("Adoption curve")))
    report.sections.append(Section(_criteria_table(latest, "criteria")))
    report.sections.append(Section(_summary(latest, "summary")))

    names = dict(Department.objects.values_list("pk", "name"))
    now = {
        r.department_id: r for r in ScopeDay.objects.filter(day=day, department_id__isnull=False)
    }
    before = {
        r.department_id: r
        for r in ScopeDay.objects.filter(
            day=day - timedelta(days=d.WINDOW_DAYS), department_id__isnull=False
        )
    }
    departments = Table(
        "departments",
        gettext_lazy("Departments"),
        [
            _("Department"),
            _("Population"),
            _("Reached"),
            _("Engaged"),
            _("Contributors"),
            _("Adoption rate"),
            _("Trend (30 days)"),
            _("Stage"),
        ],
        ["text", "int", "int", "int", "int", "pct", "pts", "text"],
    )
    for department_id, row in sorted(now.items(), key=lambda i: names.get(i[0], "")):
        departments.rows.append(
            [
                names.get(department_id, "?"),
                row.population,
                row.reached,
                row.engaged,
                row.contributors,
                _adoption(row),
                d.trend(_adoption(row), _adoption(before.get(department_id))),
                Stage(row.stage).label,
            ]
        )
    report.sections.append(
        Section(
            departments,
            Chart(
                "bar",
                gettext_lazy("Adoption rate by department"),
                [r[0] for r in departments.rows],
                [(str(_("Adoption rate")), [r[5] for r in departments.rows])],
            ),
        )
    )
    report.sections.append(Section(objectives_table(day)))
    report.sections.append(Section(_matrix(day, names)))
    report.sections.append(Section(_communities_table(day, None)))
    report.sections.append(Section(_leaders_table(day)))
    report.sections.append(_segments(latest))
    report.sections.append(Section(_cohorts(day)))
    return report


def objectives_table(day: date | None) -> Table:
    """Every department's objective in force, planned against actual, with its pace."""
    table = Table(
        "objectives",
        gettext_lazy("Department objectives: planned against actual"),
        [
            _("Department"),
            _("Metric"),
            _("Target"),
            _("Target date"),
            _("Actual"),
            _("Trend (30 days)"),
            _("Projected on the target date"),
            _("Pace"),
        ],
        ["text", "text", "mixed", "date", "mixed", "mixed", "mixed", "text"],
        note=d.OBJECTIVE_PACE_METHOD,
    )
    for p in objectives_progress(list(current_objectives()), day):
        fmt = p.value_format
        table.rows.append(
            [
                p.objective.department.name,
                p.label,
                (p.objective.target, fmt),
                p.objective.target_date,
                (p.actual, fmt),
                (p.trend, p.trend_format),
                (p.pace.projected, fmt),
                p.verdict,
            ]
        )
    return table


def _segments(row: ScopeDay) -> Section:
    inactive = row.population - row.consumers - row.participants - row.contributors
    table = Table(
        "segments",
        gettext_lazy("Consumers, participants and contributors"),
        [_("Group"), _("People"), _("Share of the population")],
        ["text", "int", "pct"],
        [
            [_("Contributors"), row.contributors, d.rate(row.contributors, row.population)],
            [_("Participants"), row.participants, d.rate(row.participants, row.population)],
            [_("Consumers"), row.consumers, d.rate(row.consumers, row.population)],
            [_("Not seen in 30 days"), inactive, d.rate(inactive, row.population)],
        ],
    )
    chart = Chart(
        "bar",
        table.title,
        [str(r[0]) for r in table.rows],
        [(str(_("Share of the population")), [r[2] for r in table.rows])],
    )
    return Section(table, chart)


def _matrix(day: date, names: dict[int, str]) -> Table:
    """Comments and replies from one department (rows) to another (columns), last 30 days."""
    counts: dict[tuple, int] = defaultdict(int)
    for r in (
        InteractionDay.objects.filter(day__range=(window_start(day), day))
        .values("department_id", "target_department_id")
        .order_by()
        .annotate(n=Sum("interactions"))
    ):
        counts[(r["department_id"], r["target_department_id"])] += r["n"]
    ids = sorted(names, key=lambda i: names[i])
    return Table(
        "matrix",
        gettext_lazy("Who answers whom: comments and replies between departments"),
        [_("From \\ to")] + [names[i] for i in ids],
        ["text"] + ["int"] * len(ids),
        [[names[a]] + [counts.get((a, b), 0) for b in ids] for a in ids],
        note=gettext_lazy(
            "Rows: the department of the person who wrote; columns: the department of the "
            "person answered. A heavy diagonal and empty cells show silos."
        ),
    )


def _communities_table(day: date, community_ids: list[int] | None, viewer=None) -> Table:
    snapshot_day = (
        CommunitySnapshot.objects.filter(day__lte=day)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    rows = CommunitySnapshot.objects.filter(day=snapshot_day)
    if community_ids is not None:
        rows = rows.filter(community_id__in=community_ids)
    rows = list(rows)
    names = community_names([r.community_id for r in rows])
    table = Table(
        "communities",
        gettext_lazy("Communities"),
        [
            _("Community"),
            _("Members"),
            _("Departments"),
            _("Engaged this month"),
            _("Adoption rate"),
            _("Active in 12 months"),
            _("Community health"),
        ],
        ["text", "int", "int", "int", "pct", "int", "pct"],
    )
    hidden = 0
    for r in sorted(rows, key=lambda r: -r.active_month):
        if viewer is not None and not shows_small_groups(viewer) and is_small(r.members):
            hidden += 1
            continue
        table.rows.append(
            [
                names[r.community_id],
                r.members,
                r.departments,
                r.active_month,
                d.rate(r.engaged, r.members),
                r.active_year,
                d.community_health(r.active_month, r.active_year),
            ]
        )
    if hidden:
        table.note = _(
            "%(n)d communities with fewer than 5 members are counted only in the total."
        ) % {"n": hidden}
    return table


@dataclass
class LeaderFigures:
    reach: int
    posts: int
    self_written: float | None
    comments: int
    answered: int
    median_answer_seconds: float | None


def executives_on(day: date, timelines: dict[int, Timeline]) -> list[User]:
    """The executives of `day` ("Executives of a day"): hired by then, active and executive
    at its end, whatever their role is today."""
    ids = [
        pk
        for pk, t in timelines.items()
        if t.joined_on <= day and t.on(day)[1] and t.executive_on(day)
    ]
    return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name"))


def _executive_that_day() -> Coalesce:
    """Whether an `ActivityDay` row's person was an executive on the row's day, in SQL, by
    the rule of `snapshots.Timeline` ("Executives of a day"): the last history row dated on or
    before the day (by local date) decides; the first row holds for the days before it; an
    account without history is as it is now."""
    history = PersonHistory.objects.filter(user_id=OuterRef("user_id"))
    on_or_before = history.filter(since__date__lte=OuterRef("day")).order_by("-since", "-pk")
    first = history.order_by("since", "pk")
    return Coalesce(
        Subquery(on_or_before.values("is_executive")[:1]),
        Subquery(first.values("is_executive")[:1]),
        Subquery(User.objects.filter(pk=OuterRef("user_id")).values("is_executive")[:1]),
        output_field=BooleanField(),
    )


def _leader_figures_many(executive_ids: list[int], day: date) -> dict[int, LeaderFigures]:
    start = window_start(day)
    # Posts count on the days the person was an executive only (the other figures come
    # from rollups that already join the executives' dated ranges). Same query as before.
    posts: dict[int, dict[str, int]] = defaultdict(lambda: {"posts": 0, "self_posts": 0})
    for user_id, n, own in (
        ActivityDay.objects.filter(user_id__in=executive_ids, day__range=(start, day))
        .filter(Q(posts__gt=0) | Q(self_posts__gt=0))
        .alias(as_executive=_executive_that_day())
        .filter(as_executive=True)
        .values_list("user_id")
        .order_by()
        .annotate(n=Sum("posts"), own=Sum("self_posts"))
    ):
        posts[user_id] = {"posts": n, "self_posts": own}
    reach = dict(
        LeaderViewDay.objects.filter(executive_id__in=executive_ids, day__range=(start, day))
        .values("executive_id")
        .order_by()
        .annotate(n=Count("viewer_id", distinct=True))
        .values_list("executive_id", "n")
    )
    comments: dict[int, list] = defaultdict(list)
    answers: dict[int, list] = defaultdict(list)
    for t in ConversationTurn.objects.filter(
        kind__in=[Turn.LEADER_COMMENTED, Turn.LEADER_ANSWERED], day__range=(start, day)
    ).values_list("kind", "object_type", "object_id", "user_id", "other_user_id", "at"):
        kind, object_type, object_id, user_id, other, at = t
        if kind == Turn.LEADER_COMMENTED:
            comments[other].append((object_type, object_id, user_id, at))
        else:
            answers[user_id].append((object_type, object_id, other, at))
    figures = {}
    for pk in executive_ids:
        delays = d.answer_delays(comments[pk], answers[pk])
        p = posts[pk]
        figures[pk] = LeaderFigures(
            reach=reach.get(pk, 0),
            posts=p["posts"],
            self_written=d.self_written_share(p["posts"], p["self_posts"]),
            comments=len(comments[pk]),
            answered=len(delays),
            median_answer_seconds=d.median(delays),
        )
    return figures


def leader_figures(executive, day: date) -> LeaderFigures:
    return _leader_figures_many([executive.pk], day)[executive.pk]


def _leaders_table(day: date) -> Table:
    timelines = executive_timelines()
    executives = executives_on(day, timelines)
    figures = _leader_figures_many([e.pk for e in executives], day)
    return Table(
        "leaders",
        gettext_lazy("Leader engagement, reach and voice"),
        [
            _("Executive"),
            _("Posts"),
            _("Self-written"),
            _("Reach"),
            _("Comments received"),
            _("Answered"),
            _("Median time to answer"),
        ],
        ["text", "int", "pct", "int", "int", "int", "seconds"],
        [
            [
                e.name,
                figures[e.pk].posts,
                figures[e.pk].self_written,
                figures[e.pk].reach,
                figures[e.pk].comments,
                figures[e.pk].answered,
                figures[e.pk].median_answer_seconds,
            ]
            for e in executives
        ],
    )


def _cohorts(day: date) -> Table:
    snapshot_day = (
        CohortSnapshot.objects.filter(day__lte=day)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    rows = CohortSnapshot.objects.filter(day=snapshot_day, department_id__isnull=True).order_by(
        "-month"
    )[:18]
    return Table(
        "cohorts",
        gettext_lazy("Onboarding cohorts"),
        [_("Joined in"), _("People"), _("Engaged within 12 months"), _("Share")],
        ["month", "int", "int", "pct"],
        [
            [
                r.month,
                r.joined,
                r.engaged_within_year,
                d.onboarding_share(r.joined, r.engaged_within_year),
            ]
            for r in rows
        ],
    )


# --- Department heads -------------------------------------------------------------------------


@dataclass
class DepartmentKPI:
    adoption: float | None
    trend: float | None
    organisation: float | None
    population: int
    stage: Stage | None
    missing: list[Criterion]


def department_kpi(department, day: date) -> DepartmentKPI:
    rows = {
        (r.day, r.department_id): r
        for r in ScopeDay.objects.filter(
            day__in=[day, day - timedelta(days=d.WINDOW_DAYS)],
        ).filter(department_id__in=[department.pk])
    }
    org = ScopeDay.objects.filter(day=day, department_id__isnull=True).first()
    now = rows.get((day, department.pk))
    before = rows.get((day - timedelta(days=d.WINDOW_DAYS), department.pk))
    stage, missing = evaluate(now, criteria_current()) if now else (None, [])
    return DepartmentKPI(
        adoption=_adoption(now),
        trend=d.trend(_adoption(now), _adoption(before)),
        organisation=_adoption(org),
        population=now.population if now else 0,
        stage=stage,
        missing=missing,
    )


def department_report(department, viewer) -> Report:
    day = latest_day()
    report = Report(f"department-{department.pk}", department.name, day)
    report.objective = department_objective_progress(department, day)
    if can_set_objective(viewer, department):
        report.objective_url = reverse("metrics:objective", args=[department.pk])
    if day is None:
        return report
    rows = _history(department.pk, day)
    organisation = _history(None, day)
    if not rows:
        return report
    if is_small(rows[-1].population) and not shows_small_groups(viewer):
        report.objective_figures_hidden = True
        # Fewer than five people: their rate would point at individuals.
        report.note = gettext_lazy(
            "This department has fewer than 5 people: its figures are shown only inside the "
            "organisation's."
        )
        report.sections.append(
            _curve(organisation, "organisation_curve", gettext_lazy("Organisation adoption"))
        )
        return report
    _stage_facts(report, rows)
    kpi = department_kpi(department, day)
    report.facts = [
        (_("Adoption rate"), ("pct", kpi.adoption)),
        (_("Trend (30 days)"), ("pts", kpi.trend)),
        (_("Organisation adoption rate"), ("pct", kpi.organisation)),
    ]
    report.sections.append(
        _curve(
            rows,
            "department_curve",
            gettext_lazy("Adoption: department and organisation"),
            organisation,
        )
    )
    report.sections.append(Section(_criteria_table(rows[-1], "criteria")))
    report.sections.append(_stage_path(rows, "stage_path"))
    report.sections.append(Section(_summary(rows[-1], "summary")))
    return report


# --- Community managers -----------------------------------------------------------------------


def communities_report(viewer, community_ids: list[int]) -> Report:
    day = latest_day()
    report = Report("communities", gettext_lazy("My communities"), day)
    if day is None or not community_ids:
        return report
    start, year = window_start(day), window_start(day, d.YEAR_DAYS)
    scoped = ActivityDay.objects.filter(community_id__in=community_ids)
    members = scoped.filter(joins__gt=0, day__lte=day).values("user_id").distinct().count()
    month = scoped.filter(ENGAGED_Q, day__range=(start, day)).values("user_id").distinct().count()
    active_year = (
        scoped.filter(ENGAGED_Q, day__range=(year, day)).values("user_id").distinct().count()
    )
    total = Table(
        "communities_total",
        gettext_lazy("My communities together"),
        [
            _("Communities"),
            _("Members"),
            _("Engaged this month"),
            _("Adoption rate"),
            _("Active in 12 months"),
            _("Community health"),
        ],
        ["int", "int", "int", "pct", "int", "pct"],
        [
            [
                len(community_ids),
                members,
                month,
                d.rate(month, members),
                active_year,
                d.community_health(month, active_year),
            ]
        ],
    )
    if is_small(members) and not shows_small_groups(viewer):
        total.rows = []
        total.note = gettext_lazy(
            "Your communities have fewer than 5 members together: no figures are shown yet."
        )
        report.sections.append(Section(total))
        return report
    report.sections.append(Section(total))
    report.sections.append(Section(_communities_table(day, community_ids, viewer)))
    return report


# --- Executives -------------------------------------------------------------------------------


def leader_report(executive, viewer) -> Report:
    day = latest_day()
    report = Report(f"leader-{executive.pk}", executive.name, day)
    if day is None:
        return report
    figures = leader_figures(executive, day)
    hide = not shows_small_groups(viewer)
    reach = figures.reach
    reach_cell = (
        ("text", _("fewer than 5")) if hide and is_small(reach) and reach else ("int", reach)
    )
    report.facts = [
        (_("Reach (last 30 days)"), reach_cell),
        (_("Posts"), ("int", figures.posts)),
        (_("Self-written"), ("pct", figures.self_written)),
        (_("Comments received"), ("int", figures.comments)),
        (_("Answered"), ("int", figures.answered)),
        (_("Median time to answer"), ("seconds", figures.median_answer_seconds)),
    ]
    # Reach month by month over six months: one query, counted in Python.
    since = window_start(day, 180 + d.WINDOW_DAYS)
    views = list(
        LeaderViewDay.objects.filter(
            executive_id=executive.pk, day__range=(since, day)
        ).values_list("day", "viewer_id")
    )
    ends = [day - timedelta(days=30 * n) for n in range(5, -1, -1)]
    table = Table(
        "reach",
        gettext_lazy("Reach over six months"),
        [_("30 days ending"), _("Distinct readers")],
        ["date", "int"],
    )
    for end in ends:
        start = window_start(end)
        n = len({v for day_, v in views if start <= day_ <= end})
        table.rows.append([end, None if hide and is_small(n) and n else n])
    if hide:
        table.note = gettext_lazy("Months with fewer than 5 readers are left blank.")
    chart = Chart(
        "bar",
        table.title,
        [r[0].isoformat() for r in table.rows],
        [(str(_("Distinct readers")), [r[1] for r in table.rows])],
        maximum=max([r[1] or 0 for r in table.rows] + [5]),
        unit="",
    )
    report.sections.append(Section(table, chart))
    report.sections.append(Section(_leader_departments(executive, viewer, day)))
    return report


def _leader_departments(executive, viewer, day: date) -> Table:
    """Which departments read the executive's posts and answered them over the window: the
    distinct readers (LeaderViewDay, each reader in the department they were in that day,
    from ActivityDay) and the distinct people who commented or replied on the executive's
    content (ConversationTurn). Three queries.

    The small-group rule: a department of fewer than 5 people (its population that day) is
    shown to non-administrators only inside "smaller departments together", and only when
    that group reaches 5 people; a count of 1 to 4 is left blank."""
    start = window_start(day)
    viewed = LeaderViewDay.objects.filter(
        executive_id=executive.pk, day=OuterRef("day"), viewer_id=OuterRef("user_id")
    )
    readers = dict(
        ActivityDay.objects.filter(day__range=(start, day), views__gt=0)
        .filter(Exists(viewed))
        .values("department_id")
        .order_by()
        .annotate(n=Count("user_id", distinct=True))
        .values_list("department_id", "n")
    )
    answered = dict(
        ConversationTurn.objects.filter(
            kind=Turn.LEADER_COMMENTED, other_user_id=executive.pk, day__range=(start, day)
        )
        .values("department_id")
        .order_by()
        .annotate(n=Count("user_id", distinct=True))
        .values_list("department_id", "n")
    )
    population = ScopeDay.objects.filter(day=day, department_id=OuterRef("pk"))
    departments = (
        Department.objects.filter(pk__in={*readers, *answered} - {None})
        .annotate(population=Subquery(population.values("population")[:1]))
        .order_by("name")
        .values_list("pk", "name", "population")
    )
    hide = not shows_small_groups(viewer)
    table = Table(
        "departments_reached",
        gettext_lazy("Departments that read and answered (last 30 days)"),
        [_("Department"), _("People"), _("Readers"), _("Answered")],
        ["text", "int", "int", "int"],
    )
    small = [0, 0, 0]
    for pk, name, people in departments:
        line = [people or 0, readers.get(pk, 0), answered.get(pk, 0)]
        if hide and is_small(people or 0):
            small = [a + b for a, b in zip(small, line, strict=True)]
            continue
        table.rows.append([name, *line])
    if small[0] and not is_small(small[0]):
        table.rows.append([_("Smaller departments together"), *small])
    if hide:
        for row in table.rows:
            row[2:] = [None if is_small(n) and n else n for n in row[2:]]
        table.note = gettext_lazy(
            "Departments of fewer than 5 people are counted only together (when they reach 5 "
            "people); counts of fewer than 5 are left blank."
        )
    table.rows.sort(key=lambda row: -(row[2] or 0))
    return table


# --- What each person's dashboard page shows ---------------------------------------------------


def department_choices() -> list[tuple[str, str]]:
    """(name, scope) of every department, for the administrators' department picker."""
    return [
        (name, f"department-{pk}")
        for pk, name in Department.objects.order_by("name").values_list("pk", "name")
    ]


def managed_communities_report(viewer: User) -> Report:
    """Every community for an administrator; the communities they run for a manager. The
    caller has checked `can_view_communities`."""
    ids = all_community_ids() if viewer.is_superuser else managed_community_ids(viewer)
    return communities_report(viewer, ids)


def role_reports(viewer: User) -> list[Report]:
    """The dashboards a person's roles give them (everyone but administrators): each
    department they head, the communities they run, and their own as an executive."""
    found = [department_report(department, viewer) for department in headed_departments(viewer)]
    if can_view_communities(viewer):
        found.append(managed_communities_report(viewer))
    if viewer.is_executive:
        found.append(leader_report(viewer, viewer))
    return found
