"""Writes of announcements: publish (now or at a date), change or cancel a scheduled one,
publish what is due, acknowledge, remind. Each checks permission, writes in one transaction
with its participation event, and leaves e-mail to Celery on commit (`announcements.tasks`).

Every publication and acknowledgement changes what someone's home page pins, so each calls
`core.feed.feed_changed()` (publication: every reader) or `feed_changed_for(reader)`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from activity.services import event_record
from announcements import permissions, selectors, tasks
from announcements.models import Announcement, Audience, Receipt
from communities.models import Community
from communities.permissions import can_view_community
from core.feed import feed_changed, feed_changed_for
from core.refusals import NotFound, Refusal
from governance.services import audit_record, charter_require
from notifications.services import notify
from people.models import Department, User

logger = logging.getLogger(__name__)

RECEIPT_BATCH = 1000


class AnnouncementError(Refusal):
    """A refused write of announcements, with a message for the person (core.refusals)."""


def _queue(task_name: str, announcement_id: int) -> None:
    """Queue an e-mail task once the transaction commits; a broker outage must not turn the
    committed action into an error page (the task can be queued again: it is idempotent)."""

    def run() -> None:
        try:
            getattr(tasks, task_name).delay(announcement_id)
        except Exception:
            logger.exception("could not queue %s for announcement %s", task_name, announcement_id)

    transaction.on_commit(run)


def _validate(
    *,
    title: str,
    body: str,
    audience: str,
    departments: list[Department],
    community: Community | None,
    requires_ack: bool,
    deadline: datetime | None,
    publish_at: datetime,
    author: User,
) -> None:
    if not title.strip():
        raise AnnouncementError(_("Give the announcement a title."), field="title")
    if not body.strip():
        raise AnnouncementError(_("Write the announcement."), field="body")
    if audience not in Audience.values:
        raise AnnouncementError(_("Choose an audience."), field="audience")
    if audience == Audience.DEPARTMENTS and not departments:
        raise AnnouncementError(_("Choose at least one department."), field="departments")
    if audience == Audience.COMMUNITY and (
        community is None or not can_view_community(author, community)
    ):
        raise AnnouncementError(_("Choose a community."), field="community")
    if deadline is not None and not requires_ack:
        raise AnnouncementError(
            _("A deadline needs an “I have read it” acknowledgement."), field="deadline"
        )
    if deadline is not None and deadline <= publish_at:
        raise AnnouncementError(
            _("The deadline must come after the publication."), field="deadline"
        )


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def announcement_publish(
    *,
    author: User,
    title: str,
    body: str,
    audience: str,
    departments: Iterable[Department] = (),
    community: Community | None = None,
    requires_ack: bool = True,
    deadline: datetime | None = None,
    send_email: bool = False,
    publish_at: datetime | None = None,
    at: datetime | None = None,
) -> Announcement:
    """Publish an announcement now, or schedule it when `publish_at` is later than now (the
    beat task `publish_due` then publishes it; it keeps its date on the editorial calendar)."""
    if not permissions.can_publish_announcement(author):
        raise PermissionDenied
    charter_require(author)
    now = at or timezone.now()
    when = max(publish_at or now, now)
    chosen = list(departments) if audience == Audience.DEPARTMENTS else []
    _validate(
        title=title,
        body=body,
        audience=audience,
        departments=chosen,
        community=community,
        requires_ack=requires_ack,
        deadline=deadline,
        publish_at=when,
        author=author,
    )
    with transaction.atomic():
        announcement = Announcement.objects.create(
            author=author,
            title=title.strip(),
            body=body.strip(),
            audience=audience,
            community=community if audience == Audience.COMMUNITY else None,
            requires_ack=requires_ack,
            deadline=deadline,
            send_email=send_email,
            publish_at=when,
            created_at=now,
        )
        announcement.departments.set(chosen)
        audit_record(
            actor=author,
            action="announcement.published" if when <= now else "announcement.scheduled",
            target=announcement,
            after={"audience": audience, "publish_at": when.isoformat()},
        )
        if when <= now:
            _publish(announcement, at=now)
    return announcement


def _scheduled_for_change(actor: User, announcement: Announcement) -> Announcement:
    """The announcement, row locked, if `actor` may still change it: its author or an
    administrator, while it is scheduled. The lock makes the beat task's publication and a
    change wait for each other, so a change never lands on an announcement already sent.
    Precondition: inside a transaction."""
    if not permissions.can_view_announcement(actor, announcement):
        raise NotFound(_("This announcement does not exist."))
    if not permissions.can_follow_announcement(actor, announcement):
        raise PermissionDenied
    locked = Announcement.objects.select_for_update(of=("self",)).select_related(
        "author", "community"
    )
    announcement = locked.get(pk=announcement.pk)
    if announcement.is_published:
        raise AnnouncementError(
            _("This announcement has been published: it can no longer be changed or cancelled.")
        )
    return announcement


def announcement_update(
    *,
    actor: User,
    announcement: Announcement,
    title: str,
    body: str,
    audience: str,
    departments: Iterable[Department] = (),
    community: Community | None = None,
    requires_ack: bool = True,
    deadline: datetime | None = None,
    send_email: bool = False,
    publish_at: datetime | None = None,
    at: datetime | None = None,
) -> Announcement:
    """Change a scheduled announcement (same rules as `announcement_publish`). A publication
    date left empty or already past publishes it now; the change is audited with what it was."""
    charter_require(actor)
    now = at or timezone.now()
    when = max(publish_at or now, now)
    chosen = list(departments) if audience == Audience.DEPARTMENTS else []
    with transaction.atomic():
        announcement = _scheduled_for_change(actor, announcement)
        _validate(
            title=title,
            body=body,
            audience=audience,
            departments=chosen,
            community=community,
            requires_ack=requires_ack,
            deadline=deadline,
            publish_at=when,
            author=actor,
        )
        before = {
            "title": announcement.title,
            "audience": announcement.audience,
            "publish_at": announcement.publish_at.isoformat(),
        }
        announcement.title = title.strip()
        announcement.body = body.strip()
        announcement.audience = audience
        announcement.community = community if audience == Audience.COMMUNITY else None
        announcement.requires_ack = requires_ack
        announcement.deadline = deadline
        announcement.send_email = send_email
        announcement.publish_at = when
        announcement.save()
        announcement.departments.set(chosen)
        audit_record(
            actor=actor,
            action="announcement.updated",
            target=announcement,
            before=before,
            after={
                "title": announcement.title,
                "audience": audience,
                "publish_at": when.isoformat(),
            },
        )
        if when <= now:
            _publish(announcement, at=now)
    return announcement


def announcement_cancel(*, actor: User, announcement: Announcement) -> None:
    """Cancel a scheduled announcement: it reached nobody and counted nothing (its
    participation event is recorded at publication), so it is deleted; the audit log keeps
    its title, audience and date."""
    with transaction.atomic():
        announcement = _scheduled_for_change(actor, announcement)
        audit_record(
            actor=actor,
            action="announcement.cancelled",
            target=announcement,
            before={
                "title": announcement.title,
                "audience": announcement.audience,
                "publish_at": announcement.publish_at.isoformat(),
            },
        )
        announcement.delete()


def _publish(announcement: Announcement, *, at: datetime) -> None:
    """Fix the audience (one receipt each), notify them, count it, and pin it on their home.
    Precondition: inside a transaction, the announcement not yet published (row locked when
    another process could publish it too)."""
    recipients = list(selectors.audience_users(announcement).only("pk", "department_id"))
    Receipt.objects.bulk_create(
        [
            Receipt(announcement=announcement, user_id=user.pk, department_id=user.department_id)
            for user in recipients
        ],
        batch_size=RECEIPT_BATCH,
    )
    announcement.published_at = at
    announcement.recipient_count = len(recipients)
    announcement.save(update_fields=["published_at", "recipient_count"])
    # notify() asks the registry who may see the announcement: the recipients, known here.
    announcement._recipient_ids = {user.pk for user in recipients}  # type: ignore[attr-defined]
    event_record(actor=announcement.author, verb=Verb.ANNOUNCED, obj=announcement, occurred_at=at)
    notify(
        recipients=recipients,
        kind="announcement",
        actor=announcement.author,
        target=announcement,
        url=announcement.get_absolute_url(),
        summary=(
            _("%(name)s made an announcement: “%(title)s”"),
            {"name": announcement.author.name, "title": announcement.title},
        ),
    )
    feed_changed()
    if announcement.send_email:
        _queue("send_announcement_emails", announcement.pk)


def announcement_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled announcement whose date has come; safe to run twice or in two
    workers at once (each row is locked, a locked one skipped). Returns how many."""
    now = now or timezone.now()
    published = 0
    while True:
        with transaction.atomic():
            announcement = (
                Announcement.objects.select_for_update(skip_locked=True)
                .select_related("author")
                .filter(published_at__isnull=True, publish_at__lte=now)
                .order_by("publish_at", "pk")
                .first()
            )
            if announcement is None:
                return published
            _publish(announcement, at=max(announcement.publish_at, now))
            published += 1


def announcement_acknowledge(
    *, actor: User, announcement: Announcement, at: datetime | None = None
) -> Receipt:
    """ "I have read it". Once: a second click changes nothing and counts nothing."""
    with transaction.atomic():
        receipt = (
            Receipt.objects.select_for_update()
            .filter(announcement=announcement, user_id=actor.pk)
            .first()
            if permissions.is_recipient(actor, announcement)
            else None
        )
        if receipt is None:
            if permissions.can_view_announcement(actor, announcement):
                raise AnnouncementError(_("You are not among the recipients."), status=403)
            raise NotFound(_("This announcement does not exist."))
        if not announcement.requires_ack:
            raise AnnouncementError(_("This announcement asks for no acknowledgement."))
        if receipt.acknowledged_at is not None:
            return receipt
        receipt.acknowledged_at = at or timezone.now()
        receipt.save(update_fields=["acknowledged_at"])
        event_record(
            actor=actor,
            verb=Verb.ACKNOWLEDGED,
            obj=announcement,
            target_user=announcement.author,
            occurred_at=receipt.acknowledged_at,
        )
        feed_changed_for(actor.pk)
    return receipt


def announcement_remind(
    *, actor: User, announcement: Announcement, at: datetime | None = None
) -> int:
    """Remind everyone who has not acknowledged yet (in the notification centre and by
    e-mail), at most once per `permissions.REMIND_EVERY`. Returns how many were reminded."""
    if not permissions.can_view_announcement(actor, announcement):
        raise NotFound(_("This announcement does not exist."))
    if not permissions.can_follow_announcement(actor, announcement):
        raise PermissionDenied
    now = at or timezone.now()
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().select_related("author")
        announcement = locked.get(pk=announcement.pk)
        if not announcement.is_published:
            raise AnnouncementError(_("This announcement is not published yet."))
        if not announcement.requires_ack:
            raise AnnouncementError(_("This announcement asks for no acknowledgement."))
        if not permissions.can_remind_announcement(actor, announcement, now=now):
            # Published, asking for acknowledgement, run by the actor: only the day's limit.
            raise AnnouncementError(
                _("A reminder was sent on %(date)s: one a day at most.")
                % {"date": _when(announcement.reminded_at or now)}
            )
        pending = list(
            User.objects.filter(
                is_active=True,
                announcement_receipts__announcement=announcement,
                announcement_receipts__acknowledged_at__isnull=True,
            )
        )
        if not pending:
            raise AnnouncementError(_("Everyone has acknowledged it: nobody to remind."))
        announcement.reminded_at = now
        announcement.save(update_fields=["reminded_at"])
        announcement._recipient_ids = {user.pk for user in pending}  # type: ignore[attr-defined]
        event_record(actor=actor, verb=Verb.REMINDED, obj=announcement, occurred_at=now)
        notify(
            recipients=pending,
            kind="announcement",
            actor=actor,
            target=announcement,
            url=announcement.get_absolute_url(),
            summary=(
                _("Reminder: please read “%(title)s” and say you have read it"),
                {"title": announcement.title},
            ),
            group_key=f"announcement:{announcement.pk}:reminder:{now.date().isoformat()}",
        )
        _queue("send_reminder_emails", announcement.pk)
    return len(pending)
