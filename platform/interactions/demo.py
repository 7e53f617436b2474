"""Demo notifications: what the last weeks of the demo's comments notified.

The demo's history is written through the services with notifications muted (a year of
history would otherwise e-mail everyone), so nobody's centre would have anything in it. This
step derives the notifications those comments produced: a comment on your post or thread (of
the kind the service gives: an answer to your question, a reply in your discussion), a reply
to your comment. Everything older than a few days is read. It sends nothing and runs once (it
does nothing when notifications already exist).

It lives with comments rather than in notifications: notifications sits below interactions
and knows nothing of comments. Run it after the demo's history.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from interactions.content import comment_target
from interactions.models import Comment
from interactions.services import owner_notification_kind
from notifications.models import Kind, Notification
from people.models import User

WINDOW = timedelta(days=120)
UNREAD_FOR = timedelta(days=7)


def seed(*, rng: random.Random, stdout: TextIO) -> None:
    if Notification.objects.exists():
        return
    now = timezone.now()
    comments = list(
        Comment.objects.filter(
            created_at__gte=now - WINDOW, deleted_at__isnull=True, hidden_at__isnull=True
        )
        .select_related("author", "parent__author")
        .prefetch_related("target")  # one query per kind of target
        .order_by("created_at")[:5000]
    )
    rows = []
    for comment in comments:
        target = comment_target(comment)
        if target is None:
            continue
        recipient: User | None
        if comment.parent is not None:
            recipient, kind = comment.parent.author, Kind.REPLY
        else:
            # The kind the service gives the owner: "answer" or "reply" on a thread.
            owner_kind = owner_notification_kind(target, comment)
            if owner_kind is None:
                continue
            recipient, kind = target.interaction_owner, Kind(owner_kind)
        if recipient is None or recipient.pk == comment.author_id or not recipient.is_active:
            continue
        rows.append(
            Notification(
                recipient=recipient,
                kind=kind,
                actor=comment.author,
                content_type_id=comment.content_type_id,
                object_id=comment.object_id,
                target_title=str(target)[:255],
                url=f"{target.get_absolute_url()}#{comment.anchor}",
                summary="",
                group_key=f"{kind}:{comment.content_type_id}:{comment.object_id}",
                created_at=comment.created_at,
                read_at=comment.created_at if comment.created_at < now - UNREAD_FOR else None,
                # The demo never e-mails its history.
                emailed_at=comment.created_at,
            )
        )
    Notification.objects.bulk_create(rows, batch_size=1000)
    stdout.write(f"notifications: {len(rows)} derived from the last {WINDOW.days} days of comments")
