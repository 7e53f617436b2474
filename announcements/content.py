"""What the platform layers know about announcements (`core.content`): the "announcement"
kind, with its visibility (`permissions.can_view_announcement`), its pins on the home page,
its place in the home feed once acknowledged, the editorial calendar and the
publishing-rights map. Registered from `AnnouncementsConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from announcements import permissions, selectors
from announcements.models import Announcement
from core import content
from core.content import CalendarEntry, ContentKind, Label, Right
from core.feed import HEAD_START, FeedItem, fresh_since
from people.models import User

KEY = "announcement"
PLACE = "organisation"
PIN_TEMPLATE = "announcements/includes/pinned.html"
FEED_TEMPLATE = "announcements/includes/feed_item.html"
CALENDAR_LIMIT = 2000
# At most this many pins on top of the home page (the oldest wait on the announcements page).
PIN_LIMIT = 5
SUMMARY_WORDS = 40


def _values(row: dict[str, Any]) -> dict[str, Any]:
    author = User(
        username=row["announcement__author__username"],
        display_name=row["announcement__author__display_name"],
        first_name=row["announcement__author__first_name"],
        last_name=row["announcement__author__last_name"],
    )
    words = row["announcement__body"].split()
    summary = " ".join(words[:SUMMARY_WORDS]) + (" …" if len(words) > SUMMARY_WORDS else "")
    pk = row["announcement_id"]
    return {
        "id": pk,
        "title": row["announcement__title"],
        "summary": summary,
        "url": reverse("announcements:detail", kwargs={"announcement_id": pk}),
        "acknowledge_url": reverse("announcements:acknowledge", kwargs={"announcement_id": pk}),
        "author": author.name,
        "author_url": author.get_absolute_url(),
        "published_at": row["announcement__published_at"],
        "deadline": row["announcement__deadline"],
        "requires_ack": row["announcement__requires_ack"],
        "acknowledged_at": row["acknowledged_at"],
    }


def _item(row: dict[str, Any], *, template: str, now: datetime) -> FeedItem:
    published = row["announcement__published_at"]
    return FeedItem(
        fresh=published >= fresh_since(now),
        # Addressed to the reader: "for you", like the Leadership space.
        rank=published + HEAD_START,
        date=published,
        template=template,
        key=f"{KEY}:{row['announcement_id']}",
        author_id=row["announcement__author_id"],
        values=_values(row),
    )


class AnnouncementPins:
    """Must-read announcements the reader has not acknowledged, on top of their home."""

    def pinned(self, user: User, *, now: datetime) -> list[FeedItem]:
        return [
            _item(row, template=PIN_TEMPLATE, now=now)
            for row in selectors.pinned_for(user)[:PIN_LIMIT]
        ]


class AnnouncementFeedSource:
    """Received announcements that are not pinned take their place in the feed (newest
    first: every one is "for you", so the date order is the feed's order)."""

    def items(self, user: User, limit: int, *, now: datetime) -> list[FeedItem]:
        return [
            _item(row, template=FEED_TEMPLATE, now=now) for row in selectors.feed_for(user)[:limit]
        ]


def calendar_places(user: User) -> list[tuple[str, Label]]:
    return [(PLACE, _("Official announcements"))]


def calendar_entries(user: User, start: date, end: date) -> list[CalendarEntry]:
    """Published and scheduled announcements dated in the local days [start, end) that
    `user` may see (received, or their own). One query."""
    if not (user.is_authenticated and user.is_active):
        return []
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, time.min), tz)
    until = timezone.make_aware(datetime.combine(end, time.min), tz)
    return [
        CalendarEntry(
            title=announcement.title,
            at=announcement.publish_at,
            url=announcement.get_absolute_url(),
            kind=KEY,
            place=PLACE,
            place_label=_("Official announcements"),
            author=announcement.author,
            scheduled=not announcement.is_published,
        )
        for announcement in selectors.calendar_announcements(user, since, until)[:CALENDAR_LIMIT]
    ]


class AnnouncementRights:
    """The publishing-rights map: who may publish an official announcement to the whole
    organisation (executives, the communications team, administrators). No query."""

    def places(self) -> list[tuple[str, Label]]:
        return [(PLACE, _("Official announcements (organisation)"))]

    def rights(self, people: Sequence[User], *, place: str | None = None) -> dict[int, list[Right]]:
        if place is not None and place != PLACE:
            return {person.pk: [] for person in people}
        return {
            person.pk: [
                Right(
                    place=PLACE,
                    place_label=_("Official announcements (organisation)"),
                    ask="announce",
                    allowed=permissions.can_publish_announcement(person),
                    role=_role(person),
                )
            ]
            for person in people
        }


def _role(person: User) -> Label:
    if person.is_superuser:
        return _("administrator")
    if person.is_executive:
        return _("executive")
    if person.is_communications:
        return _("communications")
    return ""


def _load(pk: int) -> Announcement | None:
    return Announcement.objects.select_related("author").filter(pk=pk).first()


def _kind() -> ContentKind:
    return ContentKind(
        key=KEY,
        model=Announcement,
        label=pgettext_lazy("content kind", "announcement"),
        load=_load,
        visible_to=permissions.can_view_announcement,
        can_moderate=lambda user, announcement: bool(
            user.is_authenticated and user.is_active and user.is_superuser
        ),
        author=lambda announcement: announcement.author,
        community_id=lambda announcement: announcement.community_id,
        excerpt=lambda announcement: announcement.title,
        url=lambda announcement: announcement.get_absolute_url(),
        # Official announcements are not hidden by moderation: their authors answer for them.
        hide=None,
        restore=None,
        is_hidden=lambda announcement: False,
        calendar_places=calendar_places,
        calendar_entries=calendar_entries,
        feed_source=AnnouncementFeedSource(),
        pin_source=AnnouncementPins(),
        rights_source=AnnouncementRights(),
    )


def register_all() -> None:
    content.register(_kind())
