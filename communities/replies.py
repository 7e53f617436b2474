"""Replies to threads, which are `interactions` comments on a `Thread` target.

The one place where communities reads the comment model, so that its shape is known once.
"""

from __future__ import annotations

import importlib.util
from datetime import datetime


def available() -> bool:
    """Whether the shared comment machinery (interactions) is installed with its models."""
    return importlib.util.find_spec("interactions.models") is not None


def _comments_of(thread):
    from interactions.selectors import comments_for_target  # noqa: PLC0415

    return comments_for_target(thread)


def reply_of_thread(thread, reply_id: int):
    """The visible reply `reply_id` of this thread, or None."""
    return _comments_of(thread).filter(pk=reply_id).select_related("author").first()


def reply_stats(thread) -> tuple[int, datetime | None]:
    """How many visible replies the thread has, and when the last one was written."""
    from django.db.models import Count, Max

    stats = _comments_of(thread).aggregate(count=Count("pk"), last=Max("created_at"))
    return stats["count"] or 0, stats["last"]


def replies_after(thread, after_id: int, limit: int) -> list:
    """Visible replies written after `after_id`, oldest first (a page re-syncing)."""
    return list(
        _comments_of(thread).filter(pk__gt=after_id).select_related("author").order_by("pk")[:limit]
    )
