"""Writes of participation events. Every domain service calls `event_record` inside its own
transaction, so that nothing is counted that did not happen and nothing that happened is lost.
"""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from metrics.models import ParticipationEvent, Verb


def _object_ref(obj: models.Model | None) -> tuple[str, int | None]:
    if obj is None:
        return "", None
    return obj._meta.label_lower, obj.pk


def event_record(
    *,
    actor,
    verb: Verb | str,
    obj: models.Model | None = None,
    community_id: int | None = None,
    target_user=None,
    occurred_at: datetime | None = None,
) -> ParticipationEvent:
    """Record that `actor` did `verb` (on `obj`). Call inside the caller's transaction."""
    occurred_at = occurred_at or timezone.now()
    object_type, object_id = _object_ref(obj)
    return ParticipationEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        community_id=community_id,
        department_id=actor.department_id,
        target_user_id=getattr(target_user, "pk", None),
        target_department_id=getattr(target_user, "department_id", None),
        occurred_at=occurred_at,
        occurred_on=timezone.localdate(occurred_at),
    )


def view_record(
    *, actor, obj: models.Model, community_id: int | None = None, target_user=None
) -> bool:
    """Record a view at most once per person, object and day; cheap on repeat visits.

    The cache answers repeat views of the same day without touching the database; the
    partial unique constraint makes a race between two requests harmless. Returns True when
    a new event was written.
    """
    today = timezone.localdate()
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
            )
    except IntegrityError:
        return False
    return True
