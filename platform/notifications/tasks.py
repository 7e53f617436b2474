"""E-mail of notifications: at once for comments and replies, and the daily or weekly digest.

Tasks take ids and are safe to run twice: each locks the notifications it sends, sends, then
sets `emailed_at` in the same transaction. A second run (a retry, a duplicate beat) waits for
the lock and then finds nothing left to send; a failed send rolls back and may be retried.
Preferences and mutes are read again here, at send time, so a change made after the
notification was created is honoured.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from notifications.emails import digest_email, notification_email
from notifications.models import (
    IMMEDIATE_EMAIL_KINDS,
    Mute,
    Notification,
    NotificationPreference,
)
from notifications.selectors import preference_for
from people.models import User

logger = logging.getLogger(__name__)

DIGEST_PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def _lock(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    # `of=("self",)`: PostgreSQL refuses FOR UPDATE on the nullable side of the actor join.
    return queryset.select_for_update(of=("self",))


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(self: Task[Any, Any], notification_id: int) -> bool:
    """E-mail one notification to its recipient now, if they still want it. True if sent."""
    with transaction.atomic():
        notification = (
            _lock(Notification.objects.select_related("recipient", "actor"))
            .filter(pk=notification_id, emailed_at__isnull=True, read_at__isnull=True)
            .first()
        )
        if notification is None:  # already sent, read in the meantime, or gone
            return False
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            return False
        if not preference_for(recipient).wants_immediate_email(notification.kind):
            return False
        if (
            notification.content_type_id
            and notification.object_id is not None
            and Mute.objects.filter(
                user=recipient,
                content_type_id=notification.content_type_id,
                object_id=notification.object_id,
            ).exists()
        ):
            return False
        notification_email(notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


# A notification whose e-mail could not be queued (the broker was down when the action
# committed) is e-mailed by the sweep below, if it is at least this old and at most MISSED_MAX.
MISSED_AFTER = timedelta(minutes=5)
MISSED_MAX = timedelta(hours=6)


@shared_task
def email_missed_notifications() -> int:
    """Beat entry point: queue the immediate e-mails that were never sent. Returns how many
    were queued. `send_notification_email` locks and re-checks each one, so a notification
    whose task is still waiting in the queue is sent once, whichever task runs first."""
    now = timezone.now()
    candidates = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            kind__in=IMMEDIATE_EMAIL_KINDS,
            created_at__range=(now - MISSED_MAX, now - MISSED_AFTER),
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .values_list("pk", "recipient_id", "kind")
    )
    recipients = {recipient for _pk, recipient, _kind in candidates}
    chosen = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=recipients)}
    queued = 0
    for pk, recipient, kind in candidates:
        preference = chosen.get(recipient) or NotificationPreference(user_id=recipient)
        if preference.wants_immediate_email(kind):
            send_notification_email.delay(pk)
            queued += 1
    return queued


@shared_task
def send_digests(frequency: str) -> int:
    """Beat entry point: queue one digest per person who chose `frequency` and has news."""

    if frequency not in DIGEST_PERIODS:
        raise ValueError(f"unknown digest frequency: {frequency}")
    since = timezone.now() - DIGEST_PERIODS[frequency]
    chose = Q(notification_preference__digest_frequency=frequency) & Q(
        notification_preference__email_enabled=True
    )
    if frequency == NotificationPreference._meta.get_field("digest_frequency").default:
        # No preference row means the defaults, which include this frequency.
        chose |= Q(notification_preference__isnull=True)
    pending = Notification.objects.filter(
        recipient=OuterRef("pk"),
        read_at__isnull=True,
        emailed_at__isnull=True,
        created_at__gte=since,
    )
    user_ids = list(
        User.objects.filter(chose, is_active=True)
        .exclude(email="")
        .filter(Exists(pending))
        .values_list("pk", flat=True)
    )
    for user_id in user_ids:
        send_digest.delay(user_id, frequency)
    return len(user_ids)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_digest(self: Task[Any, Any], user_id: int, frequency: str) -> int:
    """E-mail one person the notifications of the period they have neither read nor received.

    Returns how many notifications the digest covered (0: nothing sent).
    """

    if frequency not in DIGEST_PERIODS:
        raise ValueError(f"unknown digest frequency: {frequency}")
    recipient = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if recipient is None:
        return 0
    preference = preference_for(recipient)
    if not preference.email_enabled or preference.digest_frequency != frequency:
        return 0
    excluded_kinds = set(preference.disabled_kinds) | set(preference.email_disabled_kinds)
    muted = Mute.objects.filter(
        user=recipient, content_type_id=OuterRef("content_type_id"), object_id=OuterRef("object_id")
    )
    since = timezone.now() - DIGEST_PERIODS[frequency]
    with transaction.atomic():
        notifications = list(
            _lock(Notification.objects.select_related("actor"))
            .filter(
                recipient=recipient,
                read_at__isnull=True,
                emailed_at__isnull=True,
                created_at__gte=since,
            )
            .exclude(kind__in=excluded_kinds)
            .exclude(Exists(muted))
            .order_by("-created_at", "-id")
        )
        if not notifications:
            return 0
        for notification in notifications:
            notification.recipient = recipient  # the e-mail reads it; no query per row
        digest_email(recipient, notifications, frequency).send()
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            emailed_at=timezone.now()
        )
    return len(notifications)
