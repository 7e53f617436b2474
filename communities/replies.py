"""Replies to threads, which are `interactions` comments on a `Thread` target.

The one place where communities reads the comment model, so that its shape is known once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max, QuerySet

from interactions.models import Comment

if TYPE_CHECKING:
    from communities.models import Thread


def _published(thread: Thread) -> QuerySet[Comment]:
    return Comment.objects.for_target(thread).published()


def reply_of_thread(thread: Thread, reply_id: int) -> Comment | None:
    """The published reply `reply_id` of this thread, or None."""
    return _published(thread).filter(pk=reply_id).select_related("author").first()


def author_id_of(thread: Thread, reply_id: int) -> int | None:
    """Who wrote reply `reply_id` of this thread (published or not), or None."""
    found = Comment.objects.for_target(thread).filter(pk=reply_id).values_list("author_id")
    row = found.first()
    return row[0] if row else None


def reply_stats(thread: Thread) -> tuple[int, datetime | None]:
    """How many published replies the thread has, and when the last one was written."""
    stats = _published(thread).aggregate(count=Count("pk"), last=Max("created_at"))
    return stats["count"] or 0, stats["last"]


def replies_after(thread: Thread, after_id: int, limit: int) -> list[Comment]:
    """Published replies written after `after_id`, oldest first (a page re-syncing)."""
    return list(
        _published(thread).filter(pk__gt=after_id).select_related("author").order_by("pk")[:limit]
    )


def accepted_first(comments: list[Any], accepted_id: int | None) -> list[Any]:
    """Top-level comments with the one holding the accepted answer (itself or one of its
    replies) moved first, and that comment marked `is_accepted`."""
    if accepted_id is None:
        return comments
    for index, comment in enumerate(comments):
        for item in (comment, *getattr(comment, "thread_replies", ())):
            item.is_accepted = item.pk == accepted_id
        if comment.pk == accepted_id or any(
            r.pk == accepted_id for r in getattr(comment, "thread_replies", ())
        ):
            return [comment, *comments[:index], *comments[index + 1 :]]
    return comments
