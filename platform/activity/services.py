"""Writes of participation events. Every domain service calls `event_record` inside its own
transaction, so that nothing is counted that did not happen and nothing that happened is lost.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from activity.models import DirtyDay, ParticipationEvent, Verb
from core.content import conversation_of
from core.versions import bump_now_and_on_commit

if TYPE_CHECKING:
    # Annotations only: people sits above the event log (people writes events).
    from people.models import User


def _object_ref(obj: models.Model | None) -> tuple[str, int | None]:
    if obj is None:
        return "", None
    return obj._meta.label_lower, obj.pk


def _prepared_by_id(verb: str, obj: models.Model | None, prepared_by: User | None) -> int | None:
    """Who prepared a post for its author: given, or read from the post itself (blogs' posts
    carry `prepared_by`), so that leader voice needs nothing more from the publishing code."""
    if prepared_by is not None:
        return prepared_by.pk
    if verb == Verb.POSTED and obj is not None:
        prepared_by_id: int | None = getattr(obj, "prepared_by_id", None)
        return prepared_by_id
    return None


DIRTY_UPSERT = (
    f"INSERT INTO {DirtyDay._meta.db_table} (day) VALUES (%s) "  # noqa: S608 (constant name)
    "ON CONFLICT (day) DO UPDATE SET day = excluded.day"
)


def dirty_mark(day: date) -> None:
    """Mark `day` to be rolled up again, in the caller's transaction.

    An upsert that locks the mark's row (not ON CONFLICT DO NOTHING, which takes no lock): a
    rollup of that day deletes the mark before reading the events, so either it waits for
    this transaction and then reads its event, or this transaction waits for the rollup and
    writes the mark again after it. Two late events of the same day never fail the caller.
    """
    with connection.cursor() as cursor:
        cursor.execute(DIRTY_UPSERT, [day])


def event_record(
    *,
    actor: User,
    verb: Verb | str,
    obj: models.Model | None = None,
    community_id: int | None = None,
    target_user: User | None = None,
    occurred_at: datetime | None = None,
    prepared_by: User | None = None,
    conversation: tuple[str, int] | None = None,
) -> ParticipationEvent:
    """Record that `actor` did `verb` (on `obj`). Call inside the caller's transaction.

    `prepared_by`: for a post drafted by a delegate and published by its author (leader voice);
    by default the post's own `prepared_by_id`, when it has one.
    Replies and comments pass the thing they answer under as `obj` (the thread, the post) and
    the person answered as `target_user`: responsiveness matches replies to threads that way.
    An event dated before today marks its day for a new rollup (late or back-dated events).
    `conversation`: the ("post" | "thread", id) the event belongs to; by default the one the
    content registry gives for `obj` (`core.content.conversation_of`), none for other objects.
    It is fixed here, once: rollups never look a comment up again.
    """
    occurred_at = occurred_at or timezone.now()
    object_type, object_id = _object_ref(obj)
    conversation_type, conversation_id = conversation or conversation_of(obj) or ("", None)
    occurred_on = timezone.localdate(occurred_at)
    if occurred_on < timezone.localdate():
        dirty_mark(occurred_on)
    return ParticipationEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        community_id=community_id,
        department_id=actor.department_id,
        target_user_id=getattr(target_user, "pk", None),
        target_department_id=getattr(target_user, "department_id", None),
        prepared_by_id=_prepared_by_id(verb, obj, prepared_by),
        occurred_at=occurred_at,
        occurred_on=occurred_on,
        conversation_type=conversation_type,
        conversation_id=conversation_id,
    )


def views_version_key(obj: models.Model) -> str:
    """The version bumped by every new view event of `obj` (a first view of the day): what
    counts its readers (a post's statistics) is kept under it."""
    object_type, object_id = _object_ref(obj)
    return f"views:version:{object_type}:{object_id}"


def view_record(
    *,
    actor: User,
    obj: models.Model,
    community_id: int | None = None,
    target_user: User | None = None,
    at: datetime | None = None,
) -> bool:
    """Record a view at most once per person, object and day; cheap on repeat visits.

    The cache answers repeat views of the same day without touching the database; the
    partial unique constraint makes a race between two requests harmless. Returns True when
    a new event was written. `at` dates the view (default now; the demo's history).
    """
    today = timezone.localdate(at) if at is not None else timezone.localdate()
    object_type, object_id = _object_ref(obj)
    key = f"viewed:{actor.pk}:{object_type}:{object_id}:{today.isoformat()}"
    if not cache.add(key, 1, timeout=60 * 60 * 26):
        return False
    try:
        with transaction.atomic():
            event_record(
                actor=actor,
                verb=Verb.VIEWED,
                obj=obj,
                community_id=community_id,
                target_user=target_user,
                occurred_at=at,
            )
    except IntegrityError:
        return False
    bump_now_and_on_commit(views_version_key(obj))
    return True
