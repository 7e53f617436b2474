"""Daily rollups: turn one day's participation events into the rollup tables.

A rollup of a day is a pure function of that day's events and of who was an executive that day
(`people.PersonHistory`, joined in SQL by `executive_ranges_sql`, never the current flag):
`rollup_day` deletes the day's rows and inserts them again inside one transaction, so running
it twice, or again after a worker died half-way, leaves exactly the same rows. Its cost is
proportional to the day's events: every query filters on `occurred_on = day`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from activity.models import DirtyDay, ParticipationEvent, Verb
from metrics.models import (
    ActivityDay,
    ConversationTurn,
    InteractionDay,
    LeaderViewDay,
    MembershipDay,
    RolledDay,
    Turn,
)
from metrics.snapshots import executive_timelines

logger = logging.getLogger(__name__)

ROLLUP_MODELS = (ActivityDay, InteractionDay, MembershipDay, LeaderViewDay, ConversationTurn)
# Leader reach counts views of an executive's posts: views in a post's conversation (the
# content registry's kind key, recorded on the event).
POST_KIND = "post"
BATCH = 5000

# A host's answer in an ask-me-anything session answers someone (the question's author, also
# when anonymous to the audience): cross-department interaction and leader engagement count it.
ANSWER_VERBS = (Verb.COMMENTED, Verb.REPLIED, Verb.ANSWERED_QUESTION)
_to_someone_else = Q(target_user_id__isnull=False) & ~Q(target_user_id=F("actor_id"))


def _count(verb: str, extra: Q | None = None) -> Count:
    condition = Q(verb=verb) if extra is None else Q(verb=verb) & extra
    return Count("id", filter=condition)


def _count_any(*verbs: str) -> Count:
    return Count("id", filter=Q(verb__in=verbs))


def executive_ranges() -> list[tuple[int, date | None, date | None]]:
    """(user_id, lo, hi): the day ranges [lo, hi) in which each person was an executive, read
    from `people.PersonHistory` exactly as the snapshots read it (`snapshots.Timeline`): a
    history row holds from its local day on; of several rows of one day the last decides (the
    state at the end of the day); the first row also holds for the days before it (lo None);
    an account without history is as it is now (lo and hi None). A person's ranges never
    overlap, so a join never counts an event twice. Executives are a handful of people: the
    ranges are built in Python and handed to the database as a list of values."""
    ranges = []
    for timeline in executive_timelines().values():
        days: dict[date, bool] = {}
        for day, _dept, _active, executive in timeline.states:
            days[day] = executive  # states are in order: the last of a day decides
        dated = list(days.items())
        for i, (day, executive) in enumerate(dated):
            if executive:
                lo = None if i == 0 else day
                hi = dated[i + 1][0] if i + 1 < len(dated) else None
                ranges.append((timeline.id, lo, hi))
    return ranges


def executive_ranges_sql() -> tuple[str, list] | None:
    """SQL of the rows of `executive_ranges` (columns user_id, lo, hi) and its parameters;
    None when nobody is or was an executive. Portable: PostgreSQL is told the bounds are
    dates; SQLite stores dates as ISO text, which compares in date order."""
    ranges = executive_ranges()
    if not ranges:
        return None
    bound = "CAST(%s AS date)" if connection.vendor == "postgresql" else "%s"
    rows = ", ".join(f"(%s, {bound}, {bound})" for _ in ranges)
    params: list = []
    for user_id, lo, hi in ranges:
        params += [user_id, lo and lo.isoformat(), hi and hi.isoformat()]
    # column1..3: the names both databases give the columns of a VALUES list.
    # Only placeholders go into the text; every value is a parameter.
    sql = f"SELECT column1 AS user_id, column2 AS lo, column3 AS hi FROM (VALUES {rows}) AS v"  # noqa: S608
    return sql, params


def rollup_day(day: date) -> int:
    """Replace the rollup rows of `day` by those computed from its events; returns the number
    of events read. One transaction: readers see the old rows or the new ones, never a mix."""
    return rollup_span(day, day)


def rollup_span(first: date, last: date) -> int:
    """`rollup_day` for consecutive days in one transaction and one query per table: the
    same rows as day by day, for a back-fill (`compute_metrics --since`, the demo) at a
    fraction of the round trips. Every row keeps its own day."""
    events = ParticipationEvent.objects.filter(occurred_on__range=(first, last))
    with transaction.atomic():
        # First, before any event is read: a late event written meanwhile either is read
        # below, or its mark waits for this transaction (`activity.services.event_record`
        # locks the mark's row) and survives it.
        DirtyDay.objects.filter(day__range=(first, last)).delete()
        for model in ROLLUP_MODELS:
            model.objects.filter(day__range=(first, last)).delete()
        per_day = _insert_activity(events)
        _insert_interactions(events)
        _insert_memberships(events)
        # The executives' dated ranges, read once for the span (two queries).
        executives = executive_ranges_sql()
        _insert_leader_views(events, executives)
        _insert_turns(events, executives)
        now = timezone.now()
        days = days_between(first, last)
        RolledDay.objects.filter(day__in=days).delete()
        RolledDay.objects.bulk_create(
            [
                RolledDay(
                    day=day, events=per_day.get(day, 0), rolled_at=now, complete=is_over(day, now)
                )
                for day in days
            ]
        )
        # The snapshots of every later day read these days (30-day windows, cumulative
        # figures): they are to be done again, and that is written with the rollup itself.
        RolledDay.objects.filter(day__gt=last, snapshot_pending=False).update(snapshot_pending=True)
    return sum(per_day.values())


# A day rolled up less than this after its end is rolled again by the next run: an event of
# that day still in flight (written before midnight, committed after) is not marked late.
SETTLE = timedelta(minutes=10)


def is_over(day: date, now: datetime) -> bool:
    """Whether `day` was over (and settled) at `now`, in the organisation's time zone."""
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return now >= end + SETTLE


def _insert_select(model, columns: list[str], queryset) -> None:
    """INSERT INTO <rollup table> SELECT <the aggregate query>: the database does the whole
    GROUP BY and the insert; no row travels through Python. The queryset's SELECT list is in
    the order of `columns` (values() fields, then annotations in the order given)."""
    sql, params = queryset.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)


def _insert_activity(events) -> dict[date, int]:
    rows = (
        events.values("occurred_on", "actor_id", "department_id", "community_id")
        .order_by()
        .annotate(
            views=_count(Verb.VIEWED),
            # An upvote is engagement like a reaction (metrics.definitions, "Ask me anything").
            reactions=_count_any(Verb.REACTED, Verb.UPVOTED),
            follows=_count(Verb.FOLLOWED),
            joins=_count(Verb.JOINED),
            posts=_count(Verb.POSTED),
            self_posts=_count(Verb.POSTED, Q(prepared_by_id__isnull=True)),
            threads=_count(Verb.STARTED_THREAD),
            # Asking a question is written like a comment, answering it like a reply.
            comments=_count_any(Verb.COMMENTED, Verb.ASKED_QUESTION),
            replies=_count_any(Verb.REPLIED, Verb.ANSWERED_QUESTION),
            answers=Count("id", filter=Q(verb__in=ANSWER_VERBS) & _to_someone_else),
            charter=_count(Verb.ACCEPTED_CHARTER),
        )
    )
    _insert_select(
        ActivityDay,
        [
            "day",
            "user_id",
            "department_id",
            "community_id",
            "views",
            "reactions",
            "follows",
            "joins",
            "posts",
            "self_posts",
            "threads",
            "comments",
            "replies",
            "answers_to_others",
            "charter_acceptances",
        ],
        rows,
    )
    return dict(
        events.values("occurred_on")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("occurred_on", "n")
    )


def _insert_interactions(events) -> None:
    rows = (
        events.filter(Q(verb__in=ANSWER_VERBS) & _to_someone_else)
        .values("occurred_on", "actor_id", "department_id", "target_department_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    _insert_select(
        InteractionDay,
        ["day", "user_id", "department_id", "target_department_id", "interactions"],
        rows,
    )


MEMBERSHIP_VERBS = (Verb.JOINED, Verb.LEFT, Verb.REMOVED)


def _insert_memberships(events) -> None:
    """Each (day, community, person) whose membership changed, with the state at the end of
    the day: the last of that day's joined / left / removed events decides."""
    state: dict[tuple, bool] = {}
    for day, community, actor, target, verb in (
        events.filter(verb__in=MEMBERSHIP_VERBS, community_id__isnull=False)
        .order_by("occurred_at", "id")
        .values_list("occurred_on", "community_id", "actor_id", "target_user_id", "verb")
    ):
        person = target if verb == Verb.REMOVED else actor
        if person is not None:
            state[(day, community, person)] = verb == Verb.JOINED
    MembershipDay.objects.bulk_create(
        [
            MembershipDay(day=day, community_id=community, user_id=person, member=member)
            for (day, community, person), member in state.items()
        ],
        batch_size=BATCH,
    )


def _insert_as_executive(
    executives: tuple[str, list] | None,
    target: str,
    columns: list[str],
    select: str,
    queryset,
    who: str,
    select_params=(),
) -> None:
    """INSERT INTO `target` SELECT `select` FROM the events of `queryset` (alias e) whose
    column `who` names a person who was an executive on the event's day (alias x: the ranges
    of `executive_ranges_sql`, given as `executives`). One statement."""
    if executives is None:
        return  # nobody was ever an executive: no leader rows
    ranges, range_params = executives
    sql, params = queryset.query.sql_with_params()
    table = connection.ops.quote_name(target)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    # Table and column names come from the models and this module; values are parameters.
    statement = (
        f"WITH x AS ({ranges}) INSERT INTO {table} ({names}) SELECT {select} "  # noqa: S608
        f"FROM ({sql}) AS e JOIN x ON x.user_id = e.{who} "
        f"AND (x.lo IS NULL OR e.occurred_on >= x.lo) "
        f"AND (x.hi IS NULL OR e.occurred_on < x.hi)"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*range_params, *select_params, *params])


def _insert_leader_views(events, executives: tuple[str, list] | None) -> None:
    views = (
        events.filter(verb=Verb.VIEWED, target_user_id__isnull=False, conversation_type=POST_KIND)
        .exclude(actor_id=F("target_user_id"))
        .values("occurred_on", "target_user_id", "actor_id")
        .order_by()
    )
    _insert_as_executive(
        executives,
        LeaderViewDay._meta.db_table,
        ["day", "executive_id", "viewer_id"],
        "DISTINCT e.occurred_on, e.target_user_id, e.actor_id",
        views,
        "target_user_id",
    )


def _insert_turns(events, executives: tuple[str, list] | None) -> None:
    """Threads started, first replies and leaders' exchanges, keyed on the conversation each
    event recorded when it was written (`conversation_type`, `conversation_id`): a reply and
    the thread it answers, a comment and the post it is under, meet on ("thread", id) or
    ("post", id). Events without a conversation take no turn."""
    in_conversation = events.exclude(conversation_type="")
    turns: list[ConversationTurn] = []
    for e in in_conversation.filter(verb=Verb.STARTED_THREAD).values(
        "occurred_on",
        "conversation_type",
        "conversation_id",
        "actor_id",
        "department_id",
        "occurred_at",
    ):
        turns.append(
            ConversationTurn(
                day=e["occurred_on"],
                kind=Turn.THREAD_STARTED,
                object_type=e["conversation_type"],
                object_id=e["conversation_id"],
                user_id=e["actor_id"],
                department_id=e["department_id"],
                at=e["occurred_at"],
            )
        )
    answers = in_conversation.filter(Q(verb__in=ANSWER_VERBS) & _to_someone_else).values_list(
        "occurred_on",
        "conversation_type",
        "conversation_id",
        "actor_id",
        "target_user_id",
        "department_id",
        "occurred_at",
    )
    first: dict[tuple, ConversationTurn] = {}
    for day, conversation_type, conversation_id, actor, _target, department, at in answers:
        key = (conversation_type, conversation_id)
        # The earliest answer of the day per conversation and person; over the days, the
        # earliest by someone other than the thread's author is its first reply.
        known = first.get((day, key, actor))
        if known is None or at < known.at:
            first[(day, key, actor)] = ConversationTurn(
                day=day,
                kind=Turn.FIRST_REPLY,
                object_type=conversation_type,
                object_id=conversation_id,
                user_id=actor,
                department_id=department,
                at=at,
            )
    turns.extend(first.values())
    ConversationTurn.objects.bulk_create(turns, batch_size=BATCH)
    # Leaders' exchanges: a comment on the content of someone who was an executive that day,
    # a reply by someone who was an executive that day (not who is one now).
    leader_answers = in_conversation.filter(Q(verb__in=ANSWER_VERBS) & _to_someone_else).values(
        "occurred_on",
        "conversation_type",
        "conversation_id",
        "actor_id",
        "target_user_id",
        "department_id",
        "occurred_at",
    )
    columns = ["day", "kind", "object_type", "object_id", "user_id", "other_user_id"]
    columns += ["department_id", "at"]
    for kind, who in (
        (Turn.LEADER_COMMENTED, "target_user_id"),
        (Turn.LEADER_ANSWERED, "actor_id"),
    ):
        _insert_as_executive(
            executives,
            ConversationTurn._meta.db_table,
            columns,
            "e.occurred_on, %s, e.conversation_type, e.conversation_id, e.actor_id, "
            "e.target_user_id, e.department_id, e.occurred_at",
            leader_answers,
            who,
            [kind.value],
        )


def days_between(since: date, until: date) -> list[date]:
    return [since + timedelta(days=n) for n in range((until - since).days + 1)]


def pending_days(until: date) -> list[date]:
    """Days to roll up: those never rolled from the first event up to `until`, the dirty ones
    (late events) and those rolled before they were over. Only new or touched days: the cost
    follows the new events."""
    first = (
        ParticipationEvent.objects.order_by("occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    rolled = set(RolledDay.objects.filter(day__lte=until).values_list("day", flat=True))
    fresh = set(days_between(first, until)) - rolled if first is not None else set()
    unfinished = RolledDay.objects.filter(day__lte=until, complete=False)
    dirty = DirtyDay.objects.filter(day__lte=until).values_list("day", flat=True)
    return sorted(fresh | set(unfinished.values_list("day", flat=True)) | set(dirty))


SPAN_DAYS = 31


def rollup_days(days: Iterable[date]) -> int:
    """Roll up the given days: runs of consecutive days go by spans of up to a month (one
    transaction each), so a crash loses at most the span in progress."""
    total = 0
    for first, last in spans(sorted(set(days)), SPAN_DAYS):
        total += rollup_span(first, last)
    return total


def spans(days: list[date], longest: int) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for day in days:
        if out and day == out[-1][1] + timedelta(days=1) and (day - out[-1][0]).days < longest:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out
