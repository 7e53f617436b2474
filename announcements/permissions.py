"""Who may do what with announcements. `can_<verb>_<entity>(user, obj) -> bool`; the views
and services ask these, the registry's `visible_to` is `can_view_announcement`.

- Publish: executives, the communications team and administrators (active accounts).
- See: the author and administrators always (a scheduled one included); anyone else only a
  published announcement they received (a `Receipt`); to everyone else it does not exist (404).
- Acknowledge: a recipient, once, when the announcement asks for it.
- Change or cancel: the author and administrators, while it is scheduled (not yet sent).
- Follow the rates and remind: the author and administrators; a reminder at most once per
  `REMIND_EVERY` and only while someone has not acknowledged.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from announcements.models import Announcement, Receipt
from people.models import User

REMIND_EVERY = timedelta(hours=24)


def _active(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_publish_announcement(user: User | AnonymousUser) -> bool:
    if not (_active(user) and isinstance(user, User)):
        return False
    return user.is_superuser or user.is_executive or user.is_communications


def _runs(user: User | AnonymousUser, announcement: Announcement) -> bool:
    """The author (still allowed to publish) or an administrator."""
    if not (_active(user) and isinstance(user, User)):
        return False
    return user.is_superuser or announcement.author_id == user.pk


def is_recipient(user: User | AnonymousUser, announcement: Announcement) -> bool:
    """Whether `user` received `announcement`. The services that notify thousands at once
    attach the set of recipient ids (`_recipient_ids`) so that the check costs no query."""
    if not (_active(user) and isinstance(user, User)) or not announcement.is_published:
        return False
    known: set[int] | None = getattr(announcement, "_recipient_ids", None)
    if known is not None:
        return user.pk in known
    return Receipt.objects.filter(announcement=announcement, user=user).exists()


def can_view_announcement(user: User | AnonymousUser, announcement: Announcement) -> bool:
    return _runs(user, announcement) or is_recipient(user, announcement)


def can_follow_announcement(user: User | AnonymousUser, announcement: Announcement) -> bool:
    """See who acknowledged (by department) and send reminders."""
    return _runs(user, announcement)


def can_change_announcement(user: User | AnonymousUser, announcement: Announcement) -> bool:
    """Change or cancel: only a scheduled announcement, which nobody has received yet."""
    return _runs(user, announcement) and not announcement.is_published


def can_remind_announcement(
    user: User | AnonymousUser, announcement: Announcement, *, now: datetime
) -> bool:
    return (
        _runs(user, announcement)
        and announcement.is_published
        and announcement.requires_ack
        and (announcement.reminded_at is None or announcement.reminded_at + REMIND_EVERY <= now)
    )


def access_announcement(user: User | AnonymousUser, announcement_id: int) -> Announcement:
    """The announcement if `user` may see it; otherwise 404, so that an announcement to others
    does not even reveal that it exists."""
    announcement = (
        Announcement.objects.select_related("author", "community")
        .filter(pk=announcement_id)
        .first()
    )
    if announcement is None or not can_view_announcement(user, announcement):
        raise Http404
    return announcement
