"""Background work of announcements: publish what is due (beat, every minute) and send the
e-mails of a publication or a reminder, each in its recipient's language.

The e-mail tasks take an id and are safe to run twice: they lock a batch of receipts not yet
e-mailed (skipping those another worker holds), send, and mark them in the same transaction.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from announcements.models import Announcement, Receipt
from notifications.tokens import absolute

EMAIL_BATCH = 200


@shared_task
def publish_due() -> int:
    from announcements.services import announcement_publish_due

    return announcement_publish_due()


def announcement_email(
    announcement: Announcement, recipient: Any, *, reminder: bool
) -> EmailMultiAlternatives:
    """The announcement (or its reminder) as an e-mail in `recipient`'s language."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "announcement": announcement,
            "recipient": recipient,
            "reminder": reminder,
            "url": absolute(reverse("announcements:detail", args=[announcement.pk])),
            "deadline": (
                timezone.localtime(announcement.deadline) if announcement.deadline else None
            ),
        }
        subject = " ".join(
            render_to_string("announcements/email/announcement_subject.txt", context).split()
        )
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("announcements/email/announcement.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(
            render_to_string("announcements/email/announcement.html", context), "text/html"
        )
    return message


def _send(announcement_id: int, *, reminder: bool) -> int:
    announcement = Announcement.objects.select_related("author").filter(pk=announcement_id).first()
    if announcement is None or not announcement.is_published:
        return 0
    stamp = "reminder_emailed_at" if reminder else "emailed_at"
    due = Q(**{f"{stamp}__isnull": True})
    if reminder:
        if announcement.reminded_at is None:
            return 0
        due = (due | Q(reminder_emailed_at__lt=announcement.reminded_at)) & Q(
            acknowledged_at__isnull=True
        )
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Receipt.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("user")
                .filter(due, announcement=announcement, user__is_active=True)
                .exclude(user__email="")
                .order_by("pk")[:EMAIL_BATCH]
            )
            if not batch:
                return sent
            messages = [announcement_email(announcement, r.user, reminder=reminder) for r in batch]
            get_connection().send_messages(messages)
            # A reminder's receipts are stamped with the reminder's own time: they are then no
            # longer before it, whatever the clock says (no batch is ever taken twice).
            done = announcement.reminded_at if reminder else timezone.now()
            Receipt.objects.filter(pk__in=[r.pk for r in batch]).update(**{stamp: done})
            sent += len(batch)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_announcement_emails(self: Task[Any, Any], announcement_id: int) -> int:
    """E-mail a published announcement to every recipient not e-mailed yet."""
    return _send(announcement_id, reminder=False)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_reminder_emails(self: Task[Any, Any], announcement_id: int) -> int:
    """E-mail the latest reminder to the recipients who have not acknowledged."""
    return _send(announcement_id, reminder=True)
