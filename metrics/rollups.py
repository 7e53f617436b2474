"""Daily rollups: turn one day's participation events into the rollup tables.

A rollup of a day is a pure function of that day's events (and of who is an executive):
`rollup_day` deletes the day's rows and inserts them again inside one transaction, so running
it twice, or again after a worker died half-way, leaves exactly the same rows. Its cost is
proportional to the day's events: every query filters on `occurred_on = day`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from metrics.models import (
    ActivityDay,
    ConversationTurn,
    DirtyDay,
    InteractionDay,
    LeaderViewDay,
    ParticipationEvent,
    RolledDay,
    Turn,
    Verb,
)

logger = logging.getLogger(__name__)

ROLLUP_MODELS = (ActivityDay, InteractionDay, LeaderViewDay, ConversationTurn)
# Leader reach counts views of an executive's posts; posts are the blogs app's objects.
POST_APP_PREFIX = "blogs."
BATCH = 5000

ANSWER_VERBS = (Verb.COMMENTED, Verb.REPLIED)
_to_someone_else = Q(target_user_id__isnull=False) & ~Q(target_user_id=F("actor_id"))


def _count(verb: str, extra: Q | None = None) -> Count:
    condition = Q(verb=verb) if extra is None else Q(verb=verb) & extra
    return Count("id", filter=condition)


def executive_ids() -> set[int]:
    from people.models import User

    return set(User.objects.filter(is_executive=True).values_list("pk", flat=True))


def rollup_day(day: date, *, executives: set[int] | None = None) -> int:
    """Replace the rollup rows of `day` by those computed from its events; returns the number
    of events read. One transaction: readers see the old rows or the new ones, never a mix."""
    executives = executive_ids() if executives is None else executives
    events = ParticipationEvent.objects.filter(occurred_on=day)
    with transaction.atomic():
        for model in ROLLUP_MODELS:
            model.objects.filter(day=day).delete()
        total = _insert_activity(day, events)
        _insert_interactions(day, events)
        _insert_leader_views(day, events, executives)
        _insert_turns(day, events, executives)
        RolledDay.objects.update_or_create(
            day=day, defaults={"events": total, "rolled_at": timezone.now()}
        )
        DirtyDay.objects.filter(day=day).delete()
    return total


def _insert_activity(day: date, events) -> int:
    rows = (
        events.values("actor_id", "department_id", "community_id")
        .order_by()
        .annotate(
            n=Count("id"),
            views=_count(Verb.VIEWED),
            reactions=_count(Verb.REACTED),
            follows=_count(Verb.FOLLOWED),
            joins=_count(Verb.JOINED),
            posts=_count(Verb.POSTED),
            self_posts=_count(Verb.POSTED, Q(prepared_by_id__isnull=True)),
            threads=_count(Verb.STARTED_THREAD),
            comments=_count(Verb.COMMENTED),
            replies=_count(Verb.REPLIED),
            answers=Count("id", filter=Q(verb__in=ANSWER_VERBS) & _to_someone_else),
            charter=_count(Verb.ACCEPTED_CHARTER),
        )
    )
    total = 0
    objs = []
    for row in rows.iterator(chunk_size=BATCH):
        total += row["n"]
        objs.append(
            ActivityDay(
                day=day,
                user_id=row["actor_id"],
                department_id=row["department_id"],
                community_id=row["community_id"],
                views=row["views"],
                reactions=row["reactions"],
                follows=row["follows"],
                joins=row["joins"],
                posts=row["posts"],
                self_posts=row["self_posts"],
                threads=row["threads"],
                comments=row["comments"],
                replies=row["replies"],
                answers_to_others=row["answers"],
                charter_acceptances=row["charter"],
            )
        )
    ActivityDay.objects.bulk_create(objs, batch_size=BATCH)
    return total


def _insert_interactions(day: date, events) -> None:
    rows = (
        events.filter(Q(verb__in=ANSWER_VERBS) & _to_someone_else)
        .values("department_id", "target_department_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    InteractionDay.objects.bulk_create(
        [
            InteractionDay(
                day=day,
                department_id=r["department_id"],
                target_department_id=r["target_department_id"],
                interactions=r["n"],
            )
            for r in rows
        ],
        batch_size=BATCH,
    )


def _insert_leader_views(day: date, events, executives: set[int]) -> None:
    if not executives:
        return
    rows = (
        events.filter(
            verb=Verb.VIEWED,
            target_user_id__in=executives,
            object_type__startswith=POST_APP_PREFIX,
        )
        .exclude(actor_id=F("target_user_id"))
        .values_list("target_user_id", "actor_id")
        .order_by()
        .distinct()
    )
    LeaderViewDay.objects.bulk_create(
        [LeaderViewDay(day=day, executive_id=e, viewer_id=v) for e, v in rows],
        batch_size=BATCH,
    )


def _insert_turns(day: date, events, executives: set[int]) -> None:
    from metrics.sources import conversation_keys

    turns: list[ConversationTurn] = []
    for e in events.filter(verb=Verb.STARTED_THREAD).values(
        "object_type", "object_id", "actor_id", "department_id", "occurred_at"
    ):
        turns.append(
            ConversationTurn(
                day=day,
                kind=Turn.THREAD_STARTED,
                object_type=e["object_type"],
                object_id=e["object_id"],
                user_id=e["actor_id"],
                department_id=e["department_id"],
                at=e["occurred_at"],
            )
        )
    answers = list(
        events.filter(Q(verb__in=ANSWER_VERBS) & _to_someone_else).values_list(
            "object_type", "object_id", "actor_id", "target_user_id", "department_id", "occurred_at"
        )
    )
    # A reply is recorded on the comment written; what it answers under (the thread, the post)
    # is the conversation both the thread's first reply and a leader's answer are matched on.
    keys = conversation_keys({(t, i) for t, i, *_ in answers})
    first: dict[tuple, ConversationTurn] = {}
    for object_type, object_id, actor, target, department, at in answers:
        key = keys.get((object_type, object_id), (object_type, object_id))
        # The earliest answer of the day per conversation and person; over the days, the
        # earliest by someone other than the thread's author is its first reply.
        known = first.get((key, actor))
        if known is None or at < known.at:
            first[(key, actor)] = ConversationTurn(
                day=day,
                kind=Turn.FIRST_REPLY,
                object_type=key[0],
                object_id=key[1],
                user_id=actor,
                department_id=department,
                at=at,
            )
        for kind, applies in (
            (Turn.LEADER_COMMENTED, target in executives),
            (Turn.LEADER_ANSWERED, actor in executives),
        ):
            if applies:
                turns.append(
                    ConversationTurn(
                        day=day,
                        kind=kind,
                        object_type=key[0],
                        object_id=key[1],
                        user_id=actor,
                        other_user_id=target,
                        department_id=department,
                        at=at,
                    )
                )
    turns.extend(first.values())
    ConversationTurn.objects.bulk_create(turns, batch_size=BATCH)


def days_between(since: date, until: date) -> list[date]:
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def pending_days(until: date) -> list[date]:
    """Days to roll up: those never rolled since the first event up to `until`, and the dirty
    ones (late events). Only new or touched days: the cost follows the new events."""
    last = RolledDay.objects.order_by("-day").values_list("day", flat=True).first()
    if last is None:
        first = (
            ParticipationEvent.objects.order_by("occurred_on")
            .values_list("occurred_on", flat=True)
            .first()
        )
        if first is None:
            return []
        fresh = days_between(first, until)
    else:
        fresh = days_between(last + timedelta(days=1), until) if last < until else []
    dirty = DirtyDay.objects.filter(day__lte=until).values_list("day", flat=True)
    return sorted(set(fresh) | set(dirty))


def rollup_days(days: Iterable[date]) -> int:
    executives = executive_ids()
    total = 0
    for day in days:
        total += rollup_day(day, executives=executives)
    return total
