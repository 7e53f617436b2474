"""Daily snapshots: the metrics of a day for the organisation and each department, computed
from the rollups of the window ending that day with the functions of `metrics.definitions`.

Each snapshot day is replaced as a whole in one transaction (delete, insert), like rollups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from metrics import definitions as d
from metrics.models import (
    ActivityDay,
    CohortSnapshot,
    CommunitySnapshot,
    ConversationTurn,
    InteractionDay,
    MaturityCriteria,
    ScopeDay,
    Turn,
)
from metrics.sources import charter_state
from metrics.stage import criteria_for, stage_of

ENGAGED_Q = (
    Q(reactions__gt=0) | Q(comments__gt=0) | Q(replies__gt=0) | Q(posts__gt=0) | Q(threads__gt=0)
)
CONTRIBUTION_Q = Q(comments__gt=0) | Q(replies__gt=0) | Q(posts__gt=0) | Q(threads__gt=0)
WINDOW_FIELDS = list(d.PersonWindow.__dataclass_fields__)


@dataclass(frozen=True)
class Person:
    id: int
    department_id: int | None
    is_executive: bool
    joined_on: date


@dataclass
class Context:
    """Who the population is; loaded once for a run of many days."""

    people: list[Person]
    department_ids: list[int]
    by_id: dict[int, Person] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Context:
        from people.models import Department, User

        people = [
            Person(pk, dept, bool(executive), timezone.localdate(joined))
            for pk, dept, executive, joined in User.objects.filter(is_active=True).values_list(
                "pk", "department_id", "is_executive", "date_joined"
            )
        ]
        ctx = cls(people, list(Department.objects.values_list("pk", flat=True)))
        ctx.by_id = {p.id: p for p in people}
        return ctx


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def window_start(day: date, days: int = d.WINDOW_DAYS) -> date:
    return day - timedelta(days=days - 1)


def person_windows(start: date, end: date, **filters) -> dict[int, d.PersonWindow]:
    """Per-person sums of the rollups between two days (one GROUP BY)."""
    rows = (
        ActivityDay.objects.filter(day__range=(start, end), **filters)
        .values("user_id")
        .order_by()
        .annotate(**{name: Sum(name) for name in WINDOW_FIELDS})
    )
    return {r["user_id"]: d.PersonWindow(**{name: r[name] for name in WINDOW_FIELDS}) for r in rows}


def thread_timings(start: date, end: date) -> list[tuple[int, datetime, datetime | None]]:
    """(author id, started at, first reply at) of the threads started between two days; the
    first reply is the earliest answer in the thread by someone other than its author."""
    threads = list(
        ConversationTurn.objects.filter(kind=Turn.THREAD_STARTED, day__range=(start, end)).values(
            "object_type", "object_id", "user_id", "at"
        )
    )
    if not threads:
        return []
    first: dict[tuple, list] = defaultdict(list)
    for r in (
        ConversationTurn.objects.filter(kind=Turn.FIRST_REPLY, day__range=(start, end))
        .values("object_type", "object_id", "user_id")
        .order_by()
        .annotate(first=Min("at"))
    ):
        first[(r["object_type"], r["object_id"])].append((r["user_id"], r["first"]))
    out = []
    for t in threads:
        replies = [
            at
            for who, at in first.get((t["object_type"], t["object_id"]), [])
            if who != t["user_id"]
        ]
        out.append((t["user_id"], t["at"], min(replies) if replies else None))
    return out


def snapshot_day(day: date, ctx: Context, criteria: MaturityCriteria) -> list[ScopeDay]:
    start = window_start(day)
    population = [p for p in ctx.people if p.joined_on <= day]
    windows = person_windows(start, day)
    today = set(
        ActivityDay.objects.filter(ENGAGED_Q, day=day).values_list("user_id", flat=True).distinct()
    )
    community_writers = set(
        ActivityDay.objects.filter(
            CONTRIBUTION_Q, day__range=(start, day), community_id__isnull=False
        )
        .values_list("community_id", "user_id")
        .distinct()
    )
    charter = set(
        ActivityDay.objects.filter(charter_acceptances__gt=0, day__lte=day)
        .values_list("user_id", flat=True)
        .distinct()
    )
    community_departments: dict[int, set] = defaultdict(set)
    for community, department in (
        ActivityDay.objects.filter(joins__gt=0, day__lte=day, community_id__isnull=False)
        .values_list("community_id", "department_id")
        .distinct()
    ):
        community_departments[community].add(department)
    cross_communities = {c: depts for c, depts in community_departments.items() if len(depts) > 1}
    interactions = list(
        InteractionDay.objects.filter(day__range=(start, day))
        .values("department_id", "target_department_id")
        .order_by()
        .annotate(n=Sum("interactions"))
    )
    threads = thread_timings(start, day)
    as_of = end_of_day(day)
    charter_published, charter = charter_state(as_of, charter)
    empty = d.PersonWindow()

    def scope(members: list[Person], department_id: int | None) -> ScopeDay:
        ids = {p.id for p in members}
        mine = [windows.get(p.id, empty) for p in members]
        consumers, participants, writers = d.segments(mine)
        top1, next9 = d.inequality(w.contributions for w in mine)
        executives = [p for p in members if p.is_executive]
        exec_windows = [windows.get(p.id, empty) for p in executives]
        if department_id is None:
            scoped = [r for r in interactions if r["department_id"] is not None]
            dept_members: dict[int | None, list] = defaultdict(list)
            for p in members:
                dept_members[p.department_id].append(windows.get(p.id, empty))
            dept_lists = [v for k, v in dept_members.items() if k is not None]
            n_departments = len(dept_lists)
            with_contributor = sum(1 for v in dept_lists if d.contributors(v))
            active = sum(1 for v in dept_lists if d.engaged(v))
            cross_count = len(cross_communities)
        else:
            scoped = [r for r in interactions if r["department_id"] == department_id]
            n_departments = 1 if members else 0
            with_contributor = 1 if writers else 0
            active = 1 if d.engaged(mine) else 0
            cross_count = sum(1 for depts in cross_communities.values() if department_id in depts)
        total = sum(r["n"] for r in scoped if r["target_department_id"] is not None)
        cross = sum(
            r["n"]
            for r in scoped
            if r["target_department_id"] is not None
            and r["target_department_id"] != r["department_id"]
        )
        answered = d.responsiveness(((s, f) for a, s, f in threads if a in ids), as_of)
        posters = sum(1 for w in mine if w.posts)
        communities = {c for c, u in community_writers if u in ids}
        row = ScopeDay(
            day=day,
            department_id=department_id,
            population=len(members),
            reached=d.reached(mine),
            engaged=d.engaged(mine),
            contributors=writers,
            consumers=consumers,
            participants=participants,
            engaged_today=len(ids & today),
            contributions=sum(w.contributions for w in mine),
            top1_share=top1,
            next9_share=next9,
            gini=d.gini([w.contributions for w in mine]),
            executives=len(executives),
            executives_posted=sum(1 for w in exec_windows if w.posts),
            executives_replied=sum(1 for w in exec_windows if w.answers_to_others),
            executives_posted_and_replied=sum(
                1 for w in exec_windows if w.posts and w.answers_to_others
            ),
            interactions=total,
            cross_department_interactions=cross,
            threads=answered.eligible,
            threads_answered_24h=answered.answered_24h,
            median_first_reply_seconds=answered.median_seconds,
            departments=n_departments,
            departments_with_contributor=with_contributor,
            departments_active=active,
            charter_published=charter_published,
            charter_accepted=len(ids & charter),
            active_spaces=posters + len(communities),
            cross_department_communities=cross_count,
        )
        row.stage = stage_of(criteria_for(row, criteria))
        return row

    rows = [scope(population, None)]
    by_department: dict[int, list[Person]] = defaultdict(list)
    for p in population:
        if p.department_id is not None:
            by_department[p.department_id].append(p)
    for department_id in ctx.department_ids:
        rows.append(scope(by_department.get(department_id, []), department_id))
    return rows


def community_snapshot(day: date) -> list[CommunitySnapshot]:
    start, year = window_start(day), window_start(day, d.YEAR_DAYS)
    communities = ActivityDay.objects.filter(community_id__isnull=False)
    members = {
        r["community_id"]: r
        for r in communities.filter(joins__gt=0, day__lte=day)
        .values("community_id")
        .order_by()
        .annotate(n=Count("user_id", distinct=True), depts=Count("department_id", distinct=True))
    }
    month = {
        r["community_id"]: r
        for r in communities.filter(ENGAGED_Q, day__range=(start, day))
        .values("community_id")
        .order_by()
        .annotate(
            n=Count("user_id", distinct=True),
            written=Sum("posts") + Sum("threads") + Sum("comments") + Sum("replies"),
        )
    }
    active_year = dict(
        communities.filter(ENGAGED_Q, day__range=(year, day))
        .values("community_id")
        .order_by()
        .annotate(n=Count("user_id", distinct=True))
        .values_list("community_id", "n")
    )
    ids = set(members) | set(active_year)
    return [
        CommunitySnapshot(
            day=day,
            community_id=c,
            members=members.get(c, {}).get("n", 0),
            departments=members.get(c, {}).get("depts", 0),
            engaged=month.get(c, {}).get("n", 0),
            active_month=month.get(c, {}).get("n", 0),
            active_year=active_year.get(c, 0),
            contributions=month.get(c, {}).get("written", 0) or 0,
        )
        for c in sorted(ids)
    ]


def cohort_snapshot(day: date, ctx: Context) -> list[CohortSnapshot]:
    first_engaged = dict(
        ActivityDay.objects.filter(ENGAGED_Q, day__lte=day)
        .values("user_id")
        .order_by()
        .annotate(first=Min("day"))
        .values_list("user_id", "first")
    )
    cohorts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for p in ctx.people:
        if p.joined_on > day:
            continue
        month = p.joined_on.replace(day=1)
        cohorts[month][0] += 1
        first = first_engaged.get(p.id)
        if first is not None and first <= p.joined_on + timedelta(days=d.YEAR_DAYS):
            cohorts[month][1] += 1
    return [
        CohortSnapshot(day=day, month=m, joined=j, engaged_within_year=e)
        for m, (j, e) in sorted(cohorts.items())
    ]


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def snapshot_days(days: list[date], *, latest: date | None = None) -> None:
    """Snapshot each day (a transaction per day); communities and cohorts are kept for month
    ends and the latest day only, since the dashboards show them now and month by month."""
    from metrics.stage import criteria_current

    ctx = Context.load()
    criteria = criteria_current()
    latest = latest or (max(days) if days else None)
    for day in days:
        with transaction.atomic():
            ScopeDay.objects.filter(day=day).delete()
            ScopeDay.objects.bulk_create(snapshot_day(day, ctx, criteria))
            if day == latest or is_month_end(day):
                CommunitySnapshot.objects.filter(day=day).delete()
                CommunitySnapshot.objects.bulk_create(community_snapshot(day))
                CohortSnapshot.objects.filter(day=day).delete()
                CohortSnapshot.objects.bulk_create(cohort_snapshot(day, ctx))
