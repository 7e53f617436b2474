"""Twelve months of participation for the demo organisation, then its rollups.

The story (Forrester's scale, seed 001): a quiet start (Dormant), a few enthusiasts in
Marketing and IT (Testing), the charter and cross-department communities (Coordinating), then
most departments and the executives on board (Scaling) in the last months. Adoption stays
under United Business Media's 80 %: Empowered is the goal the dashboard projects.

People and communities are the real ones when they exist; the posts and threads of the past
year are referred to by ids in a range of their own (the history is measured, not
re-published). Idempotent: when this year is already there (its posts have ids of their own),
only the rollups are brought up to date.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from core.content import communities as community_directory
from governance.models import Charter
from metrics.models import ScopeDay, Stage
from metrics.services import metrics_refresh, yesterday
from people.models import Department, User

DAYS = 365
# Synthetic objects of the past year: far above the ids real posts and threads will reach.
POST_BASE = 900_000_000
THREAD_BASE = 910_000_000
POST_TYPE = "blogs.postpage"
THREAD_TYPE = "communities.thread"
# The conversation `event_record` gives a post or a thread: itself, under its kind key.
CONVERSATION_KINDS = {POST_TYPE: "post", THREAD_TYPE: "thread"}
# Adoption (share of people engaged over 30 days) month by month: Dormant, Testing,
# Coordinating, Scaling.
# The targets are for ranks; early departments run ahead, so the measured rate is about 1.3 x.
MEASURED = 1.3
ADOPTION = [0.01, 0.015, 0.022, 0.05, 0.08, 0.115, 0.16, 0.2, 0.24, 0.32, 0.38, 0.44]
# Departments that start early, and those that follow late (a rank multiplier).
EARLY = {"marketing-communication": 0.45, "technologies": 0.55}
LATE = {"finance": 1.25, "operations": 1.2}
CHARTER_DAY = 155  # published at the end of month 5
ENGAGING = [Verb.REACTED, Verb.COMMENTED, Verb.REPLIED, Verb.POSTED, Verb.STARTED_THREAD]


@dataclass
class Person:
    id: int
    department_id: int | None
    executive: bool
    joined: int  # day index from which the person exists (0 = a year ago)
    rank: float  # lower ranks adopt earlier


def _adoption(day: int) -> float:
    month = min(day * 12 / DAYS, 11.999)
    low = int(month)
    high = min(low + 1, 11)
    return ADOPTION[low] + (ADOPTION[high] - ADOPTION[low]) * (month - low)


def _moment(start: date, day: int, rng: random.Random, hour: float | None = None) -> datetime:
    hour = rng.uniform(8, 19) if hour is None else hour
    moment = datetime.combine(start + timedelta(days=day), time.min) + timedelta(hours=hour)
    return timezone.make_aware(moment)


def _people(rng: random.Random, start: date) -> list[Person]:
    """Everyone, with a rank saying when they come on board (lower ranks first)."""
    slugs = dict(Department.objects.values_list("pk", "slug"))
    people = []
    for pk, department_id, executive, joined in (
        User.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "department_id", "is_executive", "date_joined")
    ):
        factor = EARLY.get(slugs.get(department_id), LATE.get(slugs.get(department_id), 1.0))
        rank = min(rng.random() * factor, 0.999)
        if executive:
            rank = min(rank, 0.5)  # executives come on board by the Scaling months
        joined_day = max((timezone.localdate(joined) - start).days, 0)
        people.append(Person(pk, department_id, executive, joined_day, rank))
    return people


def _others_share(start: date, days: int, people: list[Person]) -> list[float]:
    """Per day, the share of the people present who are already engaged over the last 30
    days through the other demo seeds' back-dated events (their posts, replies, reactions)."""
    by_day: dict[int, set[int]] = {}
    for actor, day in (
        ParticipationEvent.objects.filter(verb__in=ENGAGING, occurred_on__gte=start)
        .values_list("actor_id", "occurred_on")
        .distinct()
    ):
        by_day.setdefault((day - start).days, set()).add(actor)
    shares = []
    for day in range(days):
        present = sum(1 for p in people if p.joined <= day)
        active: set[int] = set()
        for back in range(30):
            active |= by_day.get(day - back, set())
        shares.append(len(active) / present if present else 0.0)
    return shares


def _community_ids() -> list[int]:
    ids = sorted(community_directory().all_ids())[:12]
    return ids or list(range(1, 7))


def _charter_id() -> int | None:
    return Charter.objects.order_by("pk").values_list("pk", flat=True).first()


def generate(*, rng: random.Random, start: date, days: int = DAYS) -> list[ParticipationEvent]:
    """The events of the year, in memory (the caller writes them in bulk)."""
    people = _people(rng, start)
    by_id = {p.id: p for p in people}
    others = _others_share(start, days, people)
    communities = _community_ids()
    charter_id = _charter_id()
    events: list[ParticipationEvent] = []
    posts: list[tuple[int, int]] = []  # (post id, author id), recent last
    joined_communities: dict[int, list[int]] = {}

    viewed: set[tuple] = set()

    def add(actor, verb, when, object_type="", object_id=None, community=None, target=None):
        if verb == Verb.VIEWED:
            # At most one view per person, object and day, as view_record keeps it.
            key = (actor.id, object_type, object_id, timezone.localdate(when))
            if key in viewed:
                return
            viewed.add(key)
        events.append(
            ParticipationEvent(
                actor_id=actor.id,
                verb=verb,
                object_type=object_type,
                object_id=object_id,
                community_id=community,
                department_id=actor.department_id,
                target_user_id=target.id if target else None,
                target_department_id=target.department_id if target else None,
                occurred_at=when,
                occurred_on=timezone.localdate(when),
                conversation_type=CONVERSATION_KINDS.get(object_type, ""),
                conversation_id=object_id if object_type in CONVERSATION_KINDS else None,
            )
        )

    def colleague(actor: Person, cross: float, pool: list[Person]) -> Person | None:
        same = [p for p in pool if p.department_id == actor.department_id and p is not actor]
        other = [p for p in pool if p.department_id != actor.department_id]
        choices = other if (rng.random() < cross and other) or not same else same
        return rng.choice(choices) if choices else None

    for day in range(days):
        # The curve is for everyone's activity together: this year adds what the other
        # seeds' people do not already bring (MEASURED converts rank targets to measured
        # rates: the early departments run ahead of the ranks).
        wanted, already = _adoption(day) * MEASURED, others[day]
        adoption = max(wanted - already, 0.0) / (1 - already) / MEASURED if already < 1 else 0
        month = day * 12 // DAYS
        cross = 0.08 if month < 6 else (0.2 if month < 9 else 0.34)
        present = [p for p in people if p.joined <= day]
        adopters = [p for p in present if p.rank < adoption]
        reach = _adoption(day) * 1.8 + 0.05
        readers = [p for p in present if adoption <= p.rank < min(reach, 1)]
        recent = posts[-60:]
        # Readers who do not engage yet: a view now and then.
        for p in readers:
            if recent and rng.random() < 0.06:
                post, author = rng.choice(recent)
                add(p, Verb.VIEWED, _moment(start, day, rng), POST_TYPE, post, target=by_id[author])
        for p in adopters:
            if p.id not in joined_communities and rng.random() < 0.5:
                mine = rng.sample(communities, k=min(len(communities), rng.randint(1, 2)))
                joined_communities[p.id] = mine
                for c in mine:
                    add(p, Verb.JOINED, _moment(start, day, rng), "communities.community", c, c)
            if rng.random() > 0.22:
                continue
            when = _moment(start, day, rng)
            for _ in range(rng.randint(1, 3)):
                if recent:
                    post, author = rng.choice(recent)
                    if author != p.id:
                        add(p, Verb.VIEWED, when, POST_TYPE, post, target=by_id[author])
            writer = p.rank < adoption * 0.45
            roll = rng.random()
            if writer and roll < 0.25:
                post = POST_BASE + len(events)
                posts.append((post, p.id))
                add(p, Verb.POSTED, when, POST_TYPE, post)
            elif writer and roll < 0.45:
                community = rng.choice(joined_communities.get(p.id) or communities)
                thread = THREAD_BASE + len(events)
                add(p, Verb.STARTED_THREAD, when, THREAD_TYPE, thread, community)
                answer_share = 0.45 if month < 6 else 0.8
                for _reply in range(rng.randint(0, 3)):
                    helper = colleague(p, cross, adopters)
                    if helper is None:
                        continue
                    delay = rng.expovariate(1 / 5) if rng.random() < answer_share else 30
                    at = when + timedelta(hours=delay + rng.random() * 2)
                    if at.date() >= start + timedelta(days=days):
                        continue
                    add(helper, Verb.REPLIED, at, THREAD_TYPE, thread, community, target=p)
            elif writer and recent and roll < 0.8:
                post, author = rng.choice(recent)
                target = by_id[author]
                if target.department_id == p.department_id and rng.random() < cross:
                    target = colleague(p, 1.0, adopters) or target
                if target is not p:
                    add(p, Verb.COMMENTED, when, POST_TYPE, post, target=target)
            elif recent:
                post, author = rng.choice(recent)
                if author != p.id:
                    add(p, Verb.REACTED, when, POST_TYPE, post, target=by_id[author])
                elif rng.random() < 0.3:
                    add(p, Verb.FOLLOWED, when, "people.user", author, target=by_id[author])
        _leaders(day, month, start, rng, present, adopters, posts, add, cross)
        # The charter: published at the end of month 5, accepted by most within weeks.
        if day >= CHARTER_DAY:
            for p in present:
                accept_day = CHARTER_DAY + int(p.rank * 60)
                if day == max(accept_day, p.joined):
                    add(
                        p,
                        Verb.ACCEPTED_CHARTER,
                        _moment(start, day, rng),
                        "governance.charter",
                        charter_id,
                    )
    return events


def _leaders(day, month, start, rng, present, adopters, posts, add, cross) -> None:
    """Executives: the CEO alone at first, then most of them, answering their readers."""
    executives = [p for p in present if p.executive]
    active = 1 if month < 6 else (2 if month < 9 else max(len(executives) - 1, 1))
    for index, executive in enumerate(sorted(executives, key=lambda p: p.rank)[:active]):
        if (day + index * 3) % 7 != 0 or (month < 3 and day % 21):
            continue
        when = _moment(start, day, rng, hour=9)
        post = POST_BASE + 500_000 + day * 10 + index
        posts.append((post, executive.id))
        add(executive, Verb.POSTED, when, POST_TYPE, post)
        audience = [
            p for p in present if p is not executive and rng.random() < 0.2 + 0.3 * (month / 11)
        ]
        for reader in audience:
            add(
                reader,
                Verb.VIEWED,
                when + timedelta(hours=rng.uniform(1, 30)),
                POST_TYPE,
                post,
                target=executive,
            )
        for commenter in rng.sample(adopters, k=min(len(adopters), rng.randint(0, 3))):
            if commenter is executive:
                continue
            at = when + timedelta(hours=rng.uniform(1, 8))
            add(commenter, Verb.COMMENTED, at, POST_TYPE, post, target=executive)
            if month >= 6 and rng.random() < 0.7:
                add(
                    executive,
                    Verb.COMMENTED,
                    at + timedelta(hours=rng.uniform(0.5, 20)),
                    POST_TYPE,
                    post,
                    target=commenter,
                )


def seed(*, rng: random.Random, stdout) -> None:
    if not User.objects.filter(is_active=True).exists():
        stdout.write("Metrics: no employees yet, nothing to seed.")
        return
    end = yesterday()
    start = end - timedelta(days=DAYS - 1)
    # The year's posts and threads have ids of their own: their presence means it was seeded.
    seeded = ParticipationEvent.objects.filter(object_type=POST_TYPE, object_id__gte=POST_BASE)
    if not seeded.exists():
        events = generate(rng=rng, start=start)
        ParticipationEvent.objects.bulk_create(events, batch_size=5000)
        stdout.write(f"Metrics: {len(events)} participation events over {DAYS} days.")
        metrics_refresh(since=start, until=end)
    else:
        metrics_refresh(until=end)
    _report(stdout)


def _report(stdout) -> None:
    path = []
    for row in ScopeDay.objects.filter(department_id__isnull=True).order_by("day"):
        label = Stage(row.stage).label
        if not path or path[-1][1] != label:
            path.append((row.day, label))
    stdout.write("Metrics: stage path " + " → ".join(f"{lbl} ({day})" for day, lbl in path))


__all__ = ["generate", "seed"]
