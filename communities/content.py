"""What the platform layers know about communities' content (`core.content`): the "thread" and
"community" kinds, and the community directory.

Governance (moderation, calendar, rights map), notifications, metrics and the home feed never
import communities: they ask the registry, which answers with communities' own rules (the
functions of `communities.permissions` and `communities.selectors`, never a copy). Registered
from `CommunitiesConfig.ready()` through `register_all()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from communities import live, permissions, selectors
from communities.home_feed import CommunityActivityFeedSource, CommunityThreadDigestSource
from communities.models import Community, Membership, MembershipState, Role, Thread, ThreadKind
from core import content
from core.content import CalendarEntry, ContentKind, Label, Right, SearchSource, SearchText
from people.models import User

PLACE_PREFIX = "community:"
# The calendar lists at most this many announcements for one period (as before the registry).
CALENDAR_LIMIT = 2000
ASKS = ("post", "announce", "moderate")


def place_key(community_id: int) -> str:
    return f"{PLACE_PREFIX}{community_id}"


def _place_id(place: str) -> int | None:
    if not place.startswith(PLACE_PREFIX):
        return None
    raw = place[len(PLACE_PREFIX) :]
    return int(raw) if raw.isdigit() else None


# --- Threads ------------------------------------------------------------------------------------


def thread_load(pk: int) -> Thread | None:
    return Thread.objects.select_related("community", "author").filter(pk=pk).first()


def thread_hide(thread: Thread, *, actor: User, reason: str) -> None:
    thread.moderation_hide(actor=actor, reason=reason)


def thread_restore(thread: Thread, *, actor: User) -> None:
    thread.moderation_restore(actor=actor)


def thread_after_moderation(thread: Thread) -> None:
    """On commit of a hide or restore: the community and thread pages hear of it (a hidden
    thread travels as its id only)."""
    live.broadcast_thread(thread, event="changed")


def _local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local days [start, end) as aware datetimes."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.min), tz),
    )


def calendar_places(user: User) -> list[tuple[str, Label]]:
    """The communities the person may see, as places of the editorial calendar's filter."""
    return [(place_key(pk), name) for pk, name in directory.visible_to(user)]


def calendar_entries(user: User, start: date, end: date) -> list[CalendarEntry]:
    """The announcements published between the local days `start` (included) and `end`
    (excluded) in the communities whose threads `user` may read, oldest first. One query."""
    if not (user.is_authenticated and user.is_active):
        return []
    since, until = _local_bounds(start, end)
    threads = (
        Thread.objects.filter(
            kind=ThreadKind.ANNOUNCEMENT,
            community__in=selectors.readable_community_ids(user),
            deleted_at__isnull=True,
            hidden_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .select_related("community", "author")
        .order_by("created_at")[:CALENDAR_LIMIT]
    )
    return [
        CalendarEntry(
            title=thread.title,
            at=thread.created_at,
            url=thread.get_absolute_url(),
            kind="announcement",
            place=place_key(thread.community_id),
            place_label=thread.community.name,
            author=thread.author,
            scheduled=False,
        )
        for thread in threads
    ]


def _role_label(membership: Membership | None) -> Label:
    if membership is None or not membership.is_active:
        return ""
    return Role(membership.role).label


class CommunityRights:
    """Communities' part of the publishing-rights map: in each community, may the person
    start a thread ("post"), post an official announcement ("announce") and moderate
    ("moderate"), asked of `communities.permissions` with the memberships fetched in bulk.

    Every community gets its three answers, allowed or not, so that the map can tell "every
    community" (an administrator: every answer allowed) from "some"."""

    def places(self) -> list[tuple[str, Label]]:
        return [(place_key(pk), name) for pk, name in _communities_by_name()]

    def rights(self, people: Sequence[User], *, place: str | None = None) -> dict[int, list[Right]]:
        """Two queries whatever the number of people: the communities, the memberships.

        `place` "community:<id>" answers for that community only; a place that is not a
        community's (the blog, the Leadership space) has no community right."""
        result: dict[int, list[Right]] = {person.pk: [] for person in people}
        only = _place_id(place) if place is not None else None
        if not people or (place is not None and only is None):
            return result
        queryset = Community.objects.order_by("name")
        communities = list(queryset if only is None else queryset.filter(pk=only))
        if not communities:
            return result
        memberships = {
            (m.user_id, m.community_id): m
            for m in Membership.objects.filter(
                user_id__in=[p.pk for p in people], community__in=communities
            )
        }
        for person in people:
            for community in communities:
                result[person.pk] += _community_rights(
                    person, community, memberships.get((person.pk, community.pk))
                )
        return result


def _community_rights(
    person: User, community: Community, membership: Membership | None
) -> list[Right]:
    # The membership (or None) is passed: the rules then answer without a query.
    answers = {
        "post": permissions.can_start_thread(
            person, community, ThreadKind.DISCUSSION, membership=membership
        ),
        "announce": permissions.can_start_thread(
            person, community, ThreadKind.ANNOUNCEMENT, membership=membership
        ),
        "moderate": permissions.can_manage_community(person, community, membership=membership),
    }
    role = _role_label(membership)
    return [
        Right(
            place=place_key(community.pk),
            place_label=community.name,
            ask=ask,
            allowed=answers[ask],
            role=role,
        )
        for ask in ASKS
    ]


# --- Communities ----------------------------------------------------------------------------------


def _communities_by_name(ids: Iterable[int] | None = None) -> list[tuple[int, str]]:
    communities = Community.objects.order_by("name")
    if ids is not None:
        communities = communities.filter(pk__in=list(ids))
    return list(communities.values_list("pk", "name"))


class Directory:
    """`core.content.CommunityDirectory`: what metrics and the governance console need to know
    about communities without reading communities' tables."""

    def names(self, ids: Iterable[int]) -> dict[int, str]:
        return dict(_communities_by_name(ids))

    def all_ids(self) -> list[int]:
        return list(Community.objects.order_by("pk").values_list("pk", flat=True))

    def managed_by(self, user: User) -> list[int]:
        if not (user.is_authenticated and user.is_active):
            return []
        return list(
            Membership.objects.filter(user=user, state=MembershipState.ACTIVE, role=Role.MANAGER)
            .order_by("community_id")
            .values_list("community_id", flat=True)
        )

    def visible_to(self, user: User) -> list[tuple[int, str]]:
        if not (user.is_authenticated and user.is_active):
            return []
        return list(
            Community.objects.filter(
                pk__in=Community.objects.filter(selectors.visible_communities_q(user)).values("pk")
            )
            .order_by("name")
            .values_list("pk", "name")
        )


directory = Directory()


# --- Global search ----------------------------------------------------------------------------


def thread_search_text(thread: Thread) -> SearchText:
    return SearchText(
        title=thread.title,
        body=thread.body,
        date=thread.created_at,
        author_id=thread.author_id,
        community_id=thread.community_id,
    )


def community_search_text(community: Community) -> SearchText:
    return SearchText(
        title=community.name,
        body=community.description,
        date=community.created_at,
        author_id=community.created_by_id,
        community_id=community.pk,
    )


THREAD_SEARCH = SearchSource(
    visible=selectors.threads_visible_to,
    text=thread_search_text,
    objects=lambda: Thread.objects.order_by("pk"),
    text_fields=frozenset({"title", "body", "community", "community_id", "author", "author_id"}),
)
COMMUNITY_SEARCH = SearchSource(
    visible=selectors.communities_visible_to,
    text=community_search_text,
    objects=lambda: Community.objects.order_by("pk"),
    text_fields=frozenset({"name", "description"}),
)


def _thread_kind() -> ContentKind:
    return ContentKind(
        key="thread",
        model=Thread,
        label=pgettext_lazy("content kind", "thread"),
        load=thread_load,
        visible_to=permissions.can_view_thread,
        can_moderate=permissions.can_moderate_thread,
        author=lambda thread: thread.author,
        community_id=lambda thread: thread.community_id,
        excerpt=lambda thread: thread.title,
        url=lambda thread: thread.get_absolute_url(),
        hide=thread_hide,
        restore=thread_restore,
        after_moderation=thread_after_moderation,
        comment_kind="reply",
        conversation=lambda thread: ("thread", thread.pk),
        calendar_places=calendar_places,
        calendar_entries=calendar_entries,
        feed_source=CommunityActivityFeedSource(),
        digest_source=CommunityThreadDigestSource(),
        rights_source=CommunityRights(),
        search_source=THREAD_SEARCH,
    )


def _community_kind() -> ContentKind:
    return ContentKind(
        key="community",
        model=Community,
        label=pgettext_lazy("content kind", "community"),
        load=lambda pk: Community.objects.filter(pk=pk).first(),
        visible_to=permissions.can_view_community,
        can_moderate=permissions.can_manage_community,
        author=lambda community: community.created_by,
        community_id=lambda community: community.pk,
        excerpt=lambda community: community.name,
        url=lambda community: community.get_absolute_url(),
        # A community is not hidden by moderation: its managers run it.
        hide=None,
        restore=None,
        is_hidden=lambda community: False,
        search_source=COMMUNITY_SEARCH,
    )


def register_all() -> None:
    content.register(_thread_kind())
    content.register(_community_kind())
    content.register_communities(directory)
