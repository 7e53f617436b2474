"""E-mail of notifications: at once for comments and replies, and the daily or weekly digest.

Tasks take ids and are safe to run twice: each locks the notifications it sends, sends, then
sets `emailed_at` in the same transaction. A second run (a retry, a duplicate beat) waits for
the lock and then finds nothing left to send; a failed send rolls back and may be retried.
Preferences and mutes are read again here, at send time, so a change made after the
notification was created is honoured.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from celery import Task, shared_task
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications.emails import digest_email, notification_email
from notifications.models import (
    IMMEDIATE_EMAIL_KINDS,
    ContentDigestSent,
    Mute,
    Notification,
    NotificationPreference,
)
from notifications.selectors import digest_week, preference_for, zone_of
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


# --- The weekly content digest ----------------------------------------------------------------
# It leaves on Monday at CONTENT_DIGEST_HOUR in each person's own time zone: the beat runs
# every hour on the hour, and each run picks the zones where it is now Monday between 7:00 and
# 8:00 (a zone with a half-hour offset falls in exactly one run too).
CONTENT_DIGEST_HOUR = 7


def _due_zones(now: datetime, names: set[str]) -> dict[str, date]:
    """Of the zone names people chose ("" the site's), those where `now` is Monday between
    7:00 and 8:00, with the Monday of that week (the sent mark's week)."""
    due: dict[str, date] = {}
    for name in names:
        zone = zone_of(NotificationPreference(time_zone=name))
        local = now.astimezone(zone)
        if local.weekday() == 0 and local.hour == CONTENT_DIGEST_HOUR:
            due[name] = digest_week(now, zone)
    return due


def content_digest_due(moment: datetime) -> dict[int, date]:
    """Who is due a content digest at `moment`: the people whose local time is Monday
    7:00–8:00, who want it (the defaults say yes) and were not sent this week's yet, with the
    week (their local Monday).

    Three queries whatever the number of people: the zones in use, the people due in those
    zones, their sent marks.
    """
    names = set(
        NotificationPreference.objects.order_by().values_list("time_zone", flat=True).distinct()
    )
    names.add("")  # no preference row: the site's zone
    due = _due_zones(moment, names)
    if not due:
        return {}
    in_due_zone = Q(notification_preference__time_zone__in=list(due))
    if "" in due:
        in_due_zone |= Q(notification_preference__isnull=True)
    wants = Q(notification_preference__isnull=True) | Q(
        notification_preference__content_digest=True,
        notification_preference__email_enabled=True,
    )
    rows = list(
        User.objects.filter(in_due_zone, wants, is_active=True)
        .exclude(email="")
        .values_list("pk", "notification_preference__time_zone")
    )
    weeks = {user_id: due[zone or ""] for user_id, zone in rows}
    already = set(
        ContentDigestSent.objects.filter(
            user_id__in=list(weeks), week__in=set(weeks.values())
        ).values_list("user_id", "week")
    )
    return {user_id: week for user_id, week in weeks.items() if (user_id, week) not in already}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_content_digests(now: str | None = None) -> int:
    """Beat entry point (hourly): queue one content digest per person due now
    (`content_digest_due`). Returns how many were queued. `now` (ISO) replays a given hour
    (tests, a missed run). The per-person task re-checks everything and is idempotent, so a
    duplicate beat queues duplicates that send nothing."""
    moment = (parse_datetime(now) if now else None) or timezone.now()
    due = content_digest_due(moment)
    for user_id, week in due.items():
        send_content_digest.delay(user_id, week.isoformat())
    return len(due)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_content_digest(self: Task[Any, Any], user_id: int, week: str) -> int:
    """E-mail one person the content digest of `week` (ISO date of its local Monday), once.
    Returns how many items it held (0: nothing sent)."""
    from notifications.services import content_digest_send

    recipient = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if recipient is None:
        return 0
    return content_digest_send(recipient=recipient, week=date.fromisoformat(week))
