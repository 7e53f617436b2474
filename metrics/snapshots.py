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
    RolledDay,
    ScopeDay,
    Turn,
)
from metrics.sources import charter_timeline
from metrics.stage import criteria_current, criteria_for, stage_of
from people.models import Department, User

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


class History:
    """The rollups a run of consecutive snapshot days needs, read once (a few queries), then
    slid day by day: adding the new day's rows and removing those 30 days older keeps each
    day's cost proportional to that day's rows, not to the window."""

    def __init__(self, first: date, last: date) -> None:
        self.first, self.last = first, last
        low = window_start(first)
        self.activity: dict[date, list[tuple]] = defaultdict(list)
        for row in ActivityDay.objects.filter(day__range=(low, last)).values_list(
            "day", "user_id", "community_id", *WINDOW_FIELDS
        ):
            self.activity[row[0]].append(row)
        self.interactions: dict[date, list[tuple]] = defaultdict(list)
        for row in InteractionDay.objects.filter(day__range=(low, last)).values_list(
            "day", "department_id", "target_department_id", "interactions"
        ):
            self.interactions[row[0]].append(row[1:])
        self.charter_first = dict(
            ActivityDay.objects.filter(charter_acceptances__gt=0, day__lte=last)
            .values("user_id")
            .order_by()
            .annotate(first=Min("day"))
            .values_list("user_id", "first")
        )
        self.joins = list(
            ActivityDay.objects.filter(joins__gt=0, day__lte=last, community_id__isnull=False)
            .values("community_id", "department_id")
            .order_by()
            .annotate(first=Min("day"))
            .values_list("community_id", "department_id", "first")
        )
        self.threads = list(
            ConversationTurn.objects.filter(
                kind=Turn.THREAD_STARTED, day__range=(low, last)
            ).values_list("day", "object_type", "object_id", "user_id", "at")
        )
        replies: dict[tuple, list] = defaultdict(list)
        for object_type, object_id, user_id, at in ConversationTurn.objects.filter(
            kind=Turn.FIRST_REPLY, day__range=(low, last)
        ).values_list("object_type", "object_id", "user_id", "at"):
            replies[(object_type, object_id)].append((user_id, at))
        # The first answer by someone other than the thread's author.
        self.first_reply: dict[tuple, datetime] = {}
        for _day, object_type, object_id, author, _at in self.threads:
            times = [at for who, at in replies.get((object_type, object_id), []) if who != author]
            if times:
                self.first_reply[(object_type, object_id)] = min(times)
        self.charter_state = charter_timeline()
        self._day: date | None = None
        self._sums: dict[int, list[int]] = {}
        self._writers: dict[tuple[int, int], int] = defaultdict(int)

    def _apply(self, day: date, sign: int) -> None:
        width = len(WINDOW_FIELDS)
        contribution_columns = [WINDOW_FIELDS.index(n) for n in CONTRIBUTION_FIELDS]
        for row in self.activity.get(day, ()):
            user, community, values = row[1], row[2], row[3:]
            sums = self._sums.setdefault(user, [0] * width)
            for i in range(width):
                sums[i] += sign * values[i]
            if not any(sums):
                del self._sums[user]
            if community is not None and any(values[i] for i in contribution_columns):
                key = (community, user)
                self._writers[key] += sign
                if not self._writers[key]:
                    del self._writers[key]

    def advance(self, day: date) -> None:
        """Move the 30-day window so that it ends on `day`."""
        if self._day is not None and day == self._day + timedelta(days=1):
            self._apply(day, 1)
            self._apply(day - timedelta(days=d.WINDOW_DAYS), -1)
        else:
            self._sums, self._writers = {}, defaultdict(int)
            for n in range(d.WINDOW_DAYS):
                self._apply(day - timedelta(days=n), 1)
        self._day = day

    def windows(self) -> dict[int, d.PersonWindow]:
        return {user: d.PersonWindow(*sums) for user, sums in self._sums.items()}

    def engaged_on(self, day: date) -> set[int]:
        columns = [WINDOW_FIELDS.index(n) for n in ENGAGED_FIELDS]
        return {r[1] for r in self.activity.get(day, ()) if any(r[3 + i] for i in columns)}

    def community_writers(self) -> set[tuple[int, int]]:
        return set(self._writers)

    def charter_accepted_by_events(self, day: date) -> set[int]:
        return {user for user, first in self.charter_first.items() if first <= day}

    def community_departments(self, day: date) -> dict[int, set]:
        out: dict[int, set] = defaultdict(set)
        for community, department, first in self.joins:
            if first <= day:
                out[community].add(department)
        return out

    def interactions_in(self, start: date, day: date) -> list[dict]:
        totals: dict[tuple, int] = defaultdict(int)
        for n in range((day - start).days + 1):
            for department, target, count in self.interactions.get(start + timedelta(days=n), ()):
                totals[(department, target)] += count
        return [
            {"department_id": a, "target_department_id": b, "n": n} for (a, b), n in totals.items()
        ]

    def thread_timings(self, start: date, day: date) -> list[tuple[int, datetime, datetime | None]]:
        return [
            (author, at, self.first_reply.get((object_type, object_id)))
            for started, object_type, object_id, author, at in self.threads
            if start <= started <= day
        ]


ENGAGED_FIELDS = ["reactions", "comments", "replies", "posts", "threads"]
CONTRIBUTION_FIELDS = ["comments", "replies", "posts", "threads"]


def snapshot_day(
    day: date, ctx: Context, criteria: MaturityCriteria, history: History | None = None
) -> list[ScopeDay]:
    history = history or History(day, day)
    history.advance(day)
    start = window_start(day)
    population = [p for p in ctx.people if p.joined_on <= day]
    windows = history.windows()
    today = history.engaged_on(day)
    community_writers = history.community_writers()
    as_of = end_of_day(day)
    charter_published, charter = history.charter_state(
        as_of, history.charter_accepted_by_events(day)
    )
    cross_communities = {
        c: depts for c, depts in history.community_departments(day).items() if len(depts) > 1
    }
    interactions = history.interactions_in(start, day)
    threads = history.thread_timings(start, day)
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
    if not days:
        return
    days = sorted(days)
    ctx = Context.load()
    criteria = criteria_current()
    latest = latest or days[-1]
    history: History | None = None
    for day in days:
        if history is None or day > history.last:
            # A month of rollups in memory at a time, whatever the length of the run.
            history = History(day, min(day + timedelta(days=30), days[-1]))
        with transaction.atomic():
            ScopeDay.objects.filter(day=day).delete()
            ScopeDay.objects.bulk_create(snapshot_day(day, ctx, criteria, history))
            RolledDay.objects.filter(day=day, snapshot_pending=True).update(snapshot_pending=False)
            if day == latest or is_month_end(day):
                CommunitySnapshot.objects.filter(day=day).delete()
                CommunitySnapshot.objects.bulk_create(community_snapshot(day))
                CohortSnapshot.objects.filter(day=day).delete()
                CohortSnapshot.objects.bulk_create(cohort_snapshot(day, ctx))
    # Yesterday's "latest" is today's past: keep month ends only before the latest day.
    for model in (CommunitySnapshot, CohortSnapshot):
        stale = model.objects.filter(day__lt=latest).values_list("day", flat=True).distinct()
        model.objects.filter(day__in=[d_ for d_ in stale if not is_month_end(d_)]).delete()
