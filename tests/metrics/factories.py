"""Helpers to write participation events at chosen moments, as the domain services would."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from people.models import PersonHistory, User

# The conversation `event_record` would give these objects (core.content conversation_of).
CONVERSATIONS = {"blogs.post": "post", "blogs.postpage": "post", "communities.thread": "thread"}


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def event(
    actor,
    verb: str,
    when: datetime,
    *,
    object_type: str = "blogs.post",
    object_id: int | None = 1,
    community_id: int | None = None,
    target=None,
    prepared_by=None,
    conversation: tuple[str, int] | None = None,
) -> ParticipationEvent:
    """An event written directly (no dirty-day marking): fixtures for rollup tests. A post or
    a thread is its own conversation unless `conversation` says otherwise (a comment)."""
    if conversation is None and object_type in CONVERSATIONS and object_id is not None:
        conversation = (CONVERSATIONS[object_type], object_id)
    return ParticipationEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        community_id=community_id,
        department_id=actor.department_id,
        target_user_id=getattr(target, "pk", None),
        target_department_id=getattr(target, "department_id", None),
        prepared_by_id=getattr(prepared_by, "pk", None),
        occurred_at=when,
        occurred_on=timezone.localdate(when),
        conversation_type=conversation[0] if conversation else "",
        conversation_id=conversation[1] if conversation else None,
    )


def joined_long_ago(*users) -> None:
    """Hired 800 days ago, in the department and role they have (their first dated state)."""
    long_ago = timezone.now() - timedelta(days=800)
    User.objects.filter(pk__in=[u.pk for u in users]).update(date_joined=long_ago)
    PersonHistory.objects.filter(user__in=[u.pk for u in users]).update(since=long_ago)


__all__ = ["Verb", "at", "event", "joined_long_ago"]
