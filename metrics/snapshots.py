"""Daily snapshots: the metrics of a day for the organisation and each department, computed
from the rollups of the window ending that day with the functions of `metrics.definitions`.

Each snapshot day is replaced as a whole in one transaction (delete, insert), like rollups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import transaction
from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone

from metrics import definitions as d
from metrics.models import (
    ActivityDay,
    CohortSnapshot,
    CommunitySnapshot,
    ConversationTurn,
    InteractionDay,
    MaturityCriteria,
    MembershipDay,
    RolledDay,
    ScopeDay,
    Turn,
)
from metrics.sources import charter_timeline
from metrics.stage import criteria_current, criteria_for, stage_of
from people.models import Department, PersonHistory, User

ENGAGED_Q = (
    Q(reactions__gt=0) | Q(comments__gt=0) | Q(replies__gt=0) | Q(posts__gt=0) | Q(threads__gt=0)
)
CONTRIBUTION_Q = Q(comments__gt=0) | Q(replies__gt=0) | Q(posts__gt=0) | Q(threads__gt=0)
WINDOW_FIELDS = list(d.PersonWindow.__dataclass_fields__)


@dataclass(frozen=True)
class Person:
    """One person as they were on a day (`Context.population`)."""

    id: int
    department_id: int | None
    is_executive: bool
    joined_on: date


@dataclass
class Timeline:
    """A person's hire date and dated states (`people.PersonHistory`): (first day, department,
    active, executive), oldest first. The first state holds from the hire date on."""

    id: int
    joined_on: date
    states: list[tuple[date, int | None, bool, bool]]

    def on(self, day: date) -> tuple[int | None, bool, bool]:
        """(department, active, executive) at the end of `day`."""
        current = self.states[0]
        for state in self.states[1:]:
            if state[0] > day:
                break
            current = state
        return current[1], current[2], current[3]

    def executive_on(self, day: date) -> bool:
        return self.on(day)[2]


def load_timelines(users: QuerySet[User], history: QuerySet[PersonHistory]) -> list[Timeline]:
    """The timelines of `users`, from their rows of `history`."""
    states: dict[int, list] = defaultdict(list)
    for user, since, dept, active, executive in (
        history.order_by("user_id", "since", "pk")
        .values_list("user_id", "since", "department_id", "is_active", "is_executive")
        .iterator(chunk_size=5000)
    ):
        states[user].append((timezone.localdate(since), dept, active, executive))
    timelines = []
    for pk, dept, active, executive, joined in users.values_list(
        "pk", "department_id", "is_active", "is_executive", "date_joined"
    ).iterator(chunk_size=5000):
        # An account without history yet (created before it was kept): as it is now.
        known = states.get(pk) or [(timezone.localdate(joined), dept, active, executive)]
        timelines.append(Timeline(pk, timezone.localdate(joined), known))
    return timelines


def executive_timelines() -> dict[int, Timeline]:
    """The timelines of everyone who is or ever was an executive (a handful of people, two
    queries): who was an executive on any day, without loading the whole organisation."""
    ever = PersonHistory.objects.filter(is_executive=True).values("user_id")
    users = User.objects.filter(Q(is_executive=True) | Q(pk__in=ever))
    history = PersonHistory.objects.filter(user__in=users)
    return {t.id: t for t in load_timelines(users, history)}


@dataclass
class Context:
    """Everyone's dated history and the departments; loaded once for a run of many days."""

    timelines: list[Timeline]
    department_ids: list[int]
    _population: dict[date, list[Person]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Context:
        timelines = load_timelines(User.objects.all(), PersonHistory.objects.all())
        return cls(timelines, list(Department.objects.values_list("pk", flat=True)))

    @cached_property
    def timeline_of(self) -> dict[int, Timeline]:
        return {t.id: t for t in self.timelines}

    def population(self, day: date) -> list[Person]:
        """The population of `day` ("population" in metrics.definitions): hired on or before
        it and active at its end, each in the department they were in that day."""
        people = self._population.get(day)
        if people is None:
            people = []
            for t in self.timelines:
                if t.joined_on > day:
                    continue
                if len(t.states) == 1:
                    _, dept, active, executive = t.states[0]
                else:
                    dept, active, executive = t.on(day)
                if active:
                    people.append(Person(t.id, dept, executive, t.joined_on))
            self._population = {day: people}  # one day at a time: memory stays flat
        return people


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
        self.activity_of: dict[tuple[int, date], list[tuple]] = defaultdict(list)
        for row in ActivityDay.objects.filter(day__range=(low, last)).values_list(
            "day", "user_id", "community_id", *WINDOW_FIELDS
        ):
            self.activity[row[0]].append(row)
            self.activity_of[(row[1], row[0])].append(row)
        self.interactions: dict[date, list[tuple]] = defaultdict(list)
        for row in InteractionDay.objects.filter(day__range=(low, last)).values_list(
            "day", "user_id", "department_id", "target_department_id", "interactions"
        ):
            self.interactions[row[0]].append(row[1:])
        self.charter_first = dict(
            ActivityDay.objects.filter(charter_acceptances__gt=0, day__lte=last)
            .values("user_id")
            .order_by()
            .annotate(first=Min("day"))
            .values_list("user_id", "first")
        )
        self.memberships = list(
            MembershipDay.objects.filter(day__lte=last)
            .order_by("day")
            .values_list("day", "community_id", "user_id", "member")
        )
        self._membership_at = 0
        self._membership_day: date | None = None
        self._members: dict[tuple[int, int], bool] = {}
        self.threads = list(
            ConversationTurn.objects.filter(
                kind=Turn.THREAD_STARTED, day__range=(low, last)
            ).values_list("day", "object_type", "object_id", "user_id", "at", "department_id")
        )
        replies: dict[tuple, list] = defaultdict(list)
        for object_type, object_id, user_id, at in ConversationTurn.objects.filter(
            kind=Turn.FIRST_REPLY, day__range=(low, last)
        ).values_list("object_type", "object_id", "user_id", "at"):
            replies[(object_type, object_id)].append((user_id, at))
        # The first answer by someone other than the thread's author.
        self.first_reply: dict[tuple, datetime] = {}
        for _day, object_type, object_id, author, _at, _dept in self.threads:
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

    def executive_window(self, timeline: Timeline, day: date) -> d.PersonWindow:
        """The person's sums over the window ending on `day`, counting only the days they
        were an executive ("Executives of a day" in metrics.definitions): posts written
        before a promotion are not an executive's posts."""
        sums = [0] * len(WINDOW_FIELDS)
        for n in range(d.WINDOW_DAYS):
            on = day - timedelta(days=n)
            if timeline.executive_on(on):
                for row in self.activity_of.get((timeline.id, on), ()):
                    for i, value in enumerate(row[3:]):
                        sums[i] += value
        return d.PersonWindow(*sums)

    def engaged_on(self, day: date) -> set[int]:
        columns = [WINDOW_FIELDS.index(n) for n in ENGAGED_FIELDS]
        return {r[1] for r in self.activity.get(day, ()) if any(r[3 + i] for i in columns)}

    def community_writers(self) -> set[tuple[int, int]]:
        return set(self._writers)

    def charter_accepted_by_events(self, day: date) -> set[int]:
        return {user for user, first in self.charter_first.items() if first <= day}

    def members_on(self, day: date) -> dict[int, set[int]]:
        """Community -> the people who were members at the end of `day` (membership
        events; the population rule is applied by the caller)."""
        if self._membership_day is not None and day < self._membership_day:
            self._membership_at, self._members = 0, {}
        rows = self.memberships
        while self._membership_at < len(rows) and rows[self._membership_at][0] <= day:
            _day, community, user, member = rows[self._membership_at]
            self._members[(community, user)] = member
            self._membership_at += 1
        self._membership_day = day
        out: dict[int, set[int]] = defaultdict(set)
        for (community, user), member in self._members.items():
            if member:
                out[community].add(user)
        return out

    def interactions_in(
        self, start: date, day: date, department_of: dict[int, int | None]
    ) -> list[dict]:
        """The window's interactions by people of the population (`department_of`: each
        one's department that day), with the departments recorded at the time."""
        totals: dict[tuple, int] = defaultdict(int)
        for n in range((day - start).days + 1):
            for user, department, target, count in self.interactions.get(
                start + timedelta(days=n), ()
            ):
                if user in department_of:
                    totals[(department_of[user], department, target)] += count
        return [
            {"author_department": a, "department_id": b, "target_department_id": c, "n": n}
            for (a, b, c), n in totals.items()
        ]

    def thread_timings(
        self, start: date, day: date
    ) -> list[tuple[int | None, datetime, datetime | None]]:
        """Threads started in the window, as (author's department when started, started at,
        first reply at): threads count whoever their author is now."""
        return [
            (department, at, self.first_reply.get((object_type, object_id)))
            for started, object_type, object_id, _author, at, department in self.threads
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
    population = ctx.population(day)
    department_of = {p.id: p.department_id for p in population}
    windows = history.windows()
    today = history.engaged_on(day)
    community_writers = history.community_writers()
    as_of = end_of_day(day)
    charter_published, charter = history.charter_state(
        as_of, history.charter_accepted_by_events(day)
    )
    cross_communities = {}
    for community, members in history.members_on(day).items():
        depts = {department_of[u] for u in members if u in department_of}
        depts.discard(None)
        if len(depts) > 1:
            cross_communities[community] = depts
    interactions = [
        r
        for r in history.interactions_in(start, day, department_of)
        if r["department_id"] is not None
    ]
    threads = history.thread_timings(start, day)
    # Grouped once per day, read by each scope: no scope rescans the day's rows.
    interactions_by_author: dict[int | None, list[dict]] = defaultdict(list)
    for r in interactions:
        interactions_by_author[r["author_department"]].append(r)
    threads_by_department: dict[int | None, list] = defaultdict(list)
    for dept, started_at, first_reply in threads:
        threads_by_department[dept].append((started_at, first_reply))
    communities_of: dict[int, set[int]] = defaultdict(set)
    for community, user in community_writers:
        communities_of[user].add(community)
    empty = d.PersonWindow()
    # An executive whose role never changed counts the whole window; the others only their
    # days as an executive.
    executive_windows = {
        p.id: history.executive_window(ctx.timeline_of[p.id], day)
        if len(ctx.timeline_of[p.id].states) > 1
        else windows.get(p.id, empty)
        for p in population
        if p.is_executive
    }

    def scope(members: list[Person], department_id: int | None) -> ScopeDay:
        ids = {p.id for p in members}
        mine = [windows.get(p.id, empty) for p in members]
        consumers, participants, writers = d.segments(mine)
        top1, next9 = d.inequality(w.contributions for w in mine)
        executives = [p for p in members if p.is_executive]
        exec_windows = [executive_windows[p.id] for p in executives]
        if department_id is None:
            scoped = interactions
            timings = [(s, f) for _dept, s, f in threads]
            dept_members: dict[int | None, list] = defaultdict(list)
            for p in members:
                dept_members[p.department_id].append(windows.get(p.id, empty))
            dept_lists = [v for k, v in dept_members.items() if k is not None]
            n_departments = len(dept_lists)
            with_contributor = sum(1 for v in dept_lists if d.contributors(v))
            active = sum(1 for v in dept_lists if d.engaged(v))
            cross_count = len(cross_communities)
        else:
            scoped = interactions_by_author.get(department_id, [])
            timings = threads_by_department.get(department_id, [])
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
        answered = d.responsiveness(timings, as_of)
        posters = sum(1 for w in mine if w.posts)
        communities: set[int] = set()
        for p in members:
            communities |= communities_of.get(p.id, set())
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


def community_snapshot(day: date, ctx: Context, history: History) -> list[CommunitySnapshot]:
    """Each community's members that day (membership events, population rule), their
    departments that day, and the activity of the population in it over 30 days and a year."""
    start, year = window_start(day), window_start(day, d.YEAR_DAYS)
    department_of = {p.id: p.department_id for p in ctx.population(day)}
    members = {
        c: {u for u in people if u in department_of}
        for c, people in history.members_on(day).items()
    }
    in_communities = ActivityDay.objects.filter(community_id__isnull=False)
    month: dict[int, set[int]] = defaultdict(set)
    written: dict[int, int] = defaultdict(int)
    for community, user, posts, threads, comments, replies in (
        in_communities.filter(ENGAGED_Q, day__range=(start, day))
        .values("community_id", "user_id")
        .order_by()
        .annotate(p=Sum("posts"), t=Sum("threads"), c=Sum("comments"), r=Sum("replies"))
        .values_list("community_id", "user_id", "p", "t", "c", "r")
    ):
        if user in department_of:
            month[community].add(user)
            written[community] += posts + threads + comments + replies
    active_year: dict[int, set[int]] = defaultdict(set)
    for community, user in (
        in_communities.filter(ENGAGED_Q, day__range=(year, day))
        .values_list("community_id", "user_id")
        .order_by()
        .distinct()
    ):
        if user in department_of:
            active_year[community].add(user)
    ids = {c for c, m in members.items() if m} | set(active_year)
    return [
        CommunitySnapshot(
            day=day,
            community_id=c,
            members=len(members.get(c, ())),
            departments=len({department_of[u] for u in members.get(c, ())} - {None}),
            engaged=len(month.get(c, ())),
            active_month=len(month.get(c, ())),
            active_year=len(active_year.get(c, ())),
            contributions=written.get(c, 0),
        )
        for c in sorted(ids)
    ]


def first_engaged_since_hire(population: list[Person], day: date) -> dict[int, date]:
    """Each person's first engaged day on or after their hire date (onboarding counts from
    the hire date only): one grouped query, and a second only for the people whose first
    engaged day came before their hire (imported or back-dated activity)."""
    engaged = ActivityDay.objects.filter(ENGAGED_Q, day__lte=day)
    first = dict(
        engaged.values("user_id")
        .order_by()
        .annotate(first=Min("day"))
        .values_list("user_id", "first")
    )
    hired = {p.id: p.joined_on for p in population}
    early = [u for u, f in first.items() if u in hired and f < hired[u]]
    for user in early:
        first.pop(user)
        later = (
            engaged.filter(user_id=user, day__gte=hired[user])
            .order_by("day")
            .values_list("day", flat=True)
            .first()
        )
        if later is not None:
            first[user] = later
    return first


def cohort_snapshot(day: date, ctx: Context) -> list[CohortSnapshot]:
    """Onboarding cohorts of the population of `day`, by month of hire."""
    population = ctx.population(day)
    first_engaged = first_engaged_since_hire(population, day)
    cohorts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for p in population:
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
                CommunitySnapshot.objects.bulk_create(community_snapshot(day, ctx, history))
                CohortSnapshot.objects.filter(day=day).delete()
                CohortSnapshot.objects.bulk_create(cohort_snapshot(day, ctx))
    # Yesterday's "latest" is today's past: keep month ends only before the latest day.
    for model in (CommunitySnapshot, CohortSnapshot):
        stale = model.objects.filter(day__lt=latest).values_list("day", flat=True).distinct()
        model.objects.filter(day__in=[d_ for d_ in stale if not is_month_end(d_)]).delete()
