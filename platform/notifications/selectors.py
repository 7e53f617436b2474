"""Reads of notifications: the unread count, preferences, the grouped centre, and what the
weekly content digest holds for one person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from core import content
from core.content import DIGEST_SECTIONS, DigestItem
from notifications.messages import group_headline
from notifications.models import Mute, Notification, NotificationPreference
from people.models import User

# Short enough that a rare race between two commits' refreshes heals itself quickly.
UNREAD_CACHE_SECONDS = 120


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user_id: int) -> int:
    """How many unread notifications a person has.

    Every page shows it in the header, so it is cached; `notifications.services` refreshes the
    cached value whenever it changes (after commit), and the partial index on unread rows keeps
    a cache miss cheap whatever the backlog.
    """
    key = unread_cache_key(user_id)
    count: int | None = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
        cache.set(key, count, timeout=UNREAD_CACHE_SECONDS)
    return count


def preference_for(user: User) -> NotificationPreference:
    """The person's preferences, or unsaved defaults when they never changed them."""
    try:
        return NotificationPreference.objects.get(user=user)
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


@dataclass
class Group:
    """One line of the centre: the newest notification of a group and how many it holds."""

    key: str
    latest: Notification
    total: int
    unread: int

    @property
    def headline(self) -> str:
        return group_headline(self.latest, self.unread)


def centre_groups(
    user: User, *, unread_only: bool = False
) -> QuerySet[Notification, dict[str, Any]]:
    """The person's notification groups, newest activity first, as rows of aggregates.

    One row per `group_key`: the id of its newest notification, when it happened, how many
    notifications and how many unread. Paginate it, then `centre_page` loads the rows shown.
    `unread_only` keeps only the unread notifications (the partial index serves it).
    """
    notifications = Notification.objects.filter(recipient=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return (
        notifications.values("group_key")
        .annotate(
            latest_id=Max("id"),
            latest_at=Max("created_at"),
            total=Count("id"),
            unread=Count("id", filter=Q(read_at__isnull=True)),
        )
        .order_by("-latest_at", "-latest_id")
    )


def targets_visible_to(user: User, notifications: Iterable[Notification]) -> set[tuple[int, int]]:
    """Which of the notifications' targets the person may still see, as (content type, id).

    One query per kind of target. A target that implements the InteractionTarget protocol
    answers `interaction_visible_to(user)` (a person removed from a private community no
    longer sees its threads); a target that no longer exists is not visible.
    """
    wanted: dict[int, set[int]] = {}
    for n in notifications:
        if n.content_type_id and n.object_id is not None:
            wanted.setdefault(n.content_type_id, set()).add(n.object_id)
    visible: set[tuple[int, int]] = set()
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        # select_related(): the visibility check usually reads the community or the author.
        for obj in model._default_manager.filter(pk__in=ids).select_related():
            check = getattr(obj, "interaction_visible_to", None)
            if check is None or check(user):
                visible.add((content_type_id, obj.pk))
    return visible


def centre_page(user: User, rows: Iterable[dict[str, Any]]) -> tuple[list[Group], list[str]]:
    """Load the groups of one page of `centre_groups` and re-check visibility.

    Returns the visible groups and the keys of the groups hidden because their target is no
    longer visible to the person. Bounded: one query for the notifications shown and one per
    kind of target, whatever the backlog.
    """
    rows = list(rows)
    latest = Notification.objects.select_related("actor").in_bulk([r["latest_id"] for r in rows])
    notifications = [latest[r["latest_id"]] for r in rows if r["latest_id"] in latest]
    visible = targets_visible_to(user, notifications)
    groups: list[Group] = []
    hidden: list[str] = []
    for row in rows:
        n = latest.get(row["latest_id"])
        if n is None:
            continue
        if n.content_type_id and (n.content_type_id, n.object_id) not in visible:
            hidden.append(row["group_key"])
            continue
        groups.append(
            Group(key=row["group_key"], latest=n, total=row["total"], unread=row["unread"])
        )
    return groups, hidden


def mutes_of(user: User) -> QuerySet[Mute]:
    return Mute.objects.filter(user=user).order_by("-created_at")


# --- The weekly content digest ----------------------------------------------------------------

CONTENT_DIGEST_WINDOW = timedelta(days=7)
# Per section: an e-mail to read in a minute, not an archive (the home feed has the rest).
CONTENT_DIGEST_SECTION_LIMIT = 8


def zone_of(preference: NotificationPreference) -> ZoneInfo:
    """The person's time zone: their choice, else the site's (an unknown name, left by a
    zone database update, falls back to the site's rather than failing the beat)."""
    try:
        return ZoneInfo(preference.time_zone or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def digest_week(now: datetime, zone: ZoneInfo) -> date:
    """The Monday of the week `now` falls in, in `zone`: the content digest's sent mark."""
    local = now.astimezone(zone).date()
    return local - timedelta(days=local.weekday())


@dataclass
class ContentDigest:
    """What the content digest of [since, until) holds for one person, by section
    (`core.content.DIGEST_SECTIONS` order), each newest first and capped."""

    since: datetime
    until: datetime
    sections: dict[str, list[DigestItem]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.sections.values())


def content_digest_for(user: User, *, now: datetime) -> ContentDigest:
    """This week's content digest for `user`: the last seven days up to `now`.

    Notifications may not import blogs nor communities (layers), so the content comes from
    the kinds' `digest_source` in the registry (core.content), each applying its owning app's
    visibility selectors: a post or thread the person may not see is never in it. Bounded:
    one query per source, whatever the amount of content; an item two sources both offer
    (never today) is kept once.
    """
    since = now - CONTENT_DIGEST_WINDOW
    sections: dict[str, list[DigestItem]] = {name: [] for name in DIGEST_SECTIONS}
    seen: set[str] = set()
    for source in content.digest_sources():
        items = source.digest_items(
            user, since=since, until=now, limit=CONTENT_DIGEST_SECTION_LIMIT * 2
        )
        for item in items:
            if item.key not in seen and item.section in sections:
                seen.add(item.key)
                sections[item.section].append(item)
    for name, items in sections.items():
        items.sort(key=lambda item: (item.date, item.key), reverse=True)
        sections[name] = items[:CONTENT_DIGEST_SECTION_LIMIT]
    return ContentDigest(since=since, until=now, sections=sections)
