"""Reads of communities, members and threads, with visibility applied.

Every list of communities or threads anywhere (directory, search, home feed, a person's
communities, websockets) comes from here, so that a private community never leaks through one
path that forgot a filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import HttpRequest
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from communities import permissions, replies
from communities.models import (
    AccessMode,
    Community,
    Membership,
    MembershipState,
    Role,
    Thread,
    ThreadKind,
)
from core import feed
from interactions.selectors import comment_thread_context
from people.models import User

ACTIVITY_WINDOWS = {"week": 7, "month": 30, "quarter": 90}
COMMUNITIES_PER_PAGE = 20
THREADS_PER_PAGE = 30


def visible_communities_q(user: User) -> Q:
    """The filter of the communities that exist for `user` (see permissions)."""
    if user.is_superuser:
        return Q()
    return ~Q(access=AccessMode.PRIVATE) | Q(
        memberships__user=user,
        memberships__state__in=[MembershipState.ACTIVE, MembershipState.INVITED],
    )


def readable_community_ids(user: User) -> QuerySet[Community, Any]:
    """Ids of communities whose threads `user` may read (a subquery, not a list)."""
    if user.is_superuser:
        return Community.objects.values("pk")
    return Community.objects.filter(
        ~Q(access=AccessMode.PRIVATE)
        | Q(memberships__user=user, memberships__state=MembershipState.ACTIVE)
    ).values("pk")


def community_list(
    *,
    user: User,
    query: str = "",
    department_id: int | None = None,
    activity: str = "",
    mine: bool = False,
) -> QuerySet[Community]:
    """The directory: visible communities with their member count, most active first.

    `activity` keeps only those active in the last week, month or quarter.
    """
    communities = Community.objects.filter(
        pk__in=Community.objects.filter(visible_communities_q(user)).values("pk")
    )
    if mine:
        communities = communities.filter(
            memberships__user=user, memberships__state=MembershipState.ACTIVE
        )
    for term in query.split():
        communities = communities.filter(Q(name__icontains=term) | Q(description__icontains=term))
    if department_id:
        communities = communities.filter(departments__pk=department_id)
    if activity in ACTIVITY_WINDOWS:
        since = timezone.now() - timedelta(days=ACTIVITY_WINDOWS[activity])
        communities = communities.filter(last_activity_at__gte=since)
    return (
        communities.annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__state=MembershipState.ACTIVE),
                distinct=True,
            )
        )
        .prefetch_related("departments")
        .order_by("-last_activity_at", "name")
        .distinct()
    )


def memberships_of(user: User) -> dict[int, Membership]:
    """The person's memberships (any state), by community id: one query for a whole list."""
    return {m.community_id: m for m in Membership.objects.filter(user=user)}


def community_members(community: Community) -> QuerySet[Membership]:
    """Active members, managers first."""
    return (
        Membership.objects.filter(community=community, state=MembershipState.ACTIVE)
        .select_related("user__department")
        .order_by("-role", "user__last_name", "user__first_name")
    )


def community_managers(community: Community) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        community_memberships__community=community,
        community_memberships__state=MembershipState.ACTIVE,
        community_memberships__role=Role.MANAGER,
    )


def community_member_users(community: Community) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        community_memberships__community=community,
        community_memberships__state=MembershipState.ACTIVE,
    )


def community_pending(community: Community) -> QuerySet[Membership]:
    """Join requests and invitations awaiting an answer."""
    return (
        Membership.objects.filter(
            community=community,
            state__in=[MembershipState.REQUESTED, MembershipState.INVITED],
        )
        .select_related("user__department")
        .order_by("state", "created_at")
    )


def community_threads(*, community: Community, user: User, can_moderate: bool) -> QuerySet[Thread]:
    """Threads of one community for a reader: pinned first, then the most recently active.

    Hidden threads are listed only for moderators and their authors; deleted ones never.
    """
    threads = Thread.objects.filter(community=community, deleted_at__isnull=True)
    if not can_moderate:
        threads = threads.filter(Q(hidden_at__isnull=True) | Q(author=user))
    return threads.select_related("author__department").order_by(
        "-pinned", "-last_activity_at", "-pk"
    )


def live_thread(thread_id: int) -> Thread | None:
    """A thread with its community, unchecked: the caller checks each reader's right to read
    it (communities.live_render, one fetch for every reader of a live reply)."""
    return Thread.objects.select_related("community").filter(pk=thread_id).first()


def thread_list_for_sync(
    *,
    community: Community,
    user: User,
    can_moderate: bool,
    after_id: int,
    also_ids: Iterable[int] = (),
) -> QuerySet[Thread]:
    """Threads created after `after_id`, and the threads `also_ids` (changed since the page's
    last live message), that this reader may see (a page re-syncing after a reconnect or a
    lost frame)."""
    wanted = Q(pk__gt=after_id)
    also = list(also_ids)
    if also:
        wanted |= Q(pk__in=also)
    return community_threads(community=community, user=user, can_moderate=can_moderate).filter(
        wanted
    )


def threads_for_feed(*, user: User, now: datetime) -> QuerySet[Any]:
    """Visible threads of the communities the person belongs to, in the home feed's "Latest"
    order (core.feed: fresh first, then by last activity with the for-you head start), as
    plain values. Membership is required, so a private community's threads reach only its
    members; removal takes them out at once (the feed cache is told: core.feed)."""
    return (
        Thread.objects.filter(
            community__in=Community.objects.filter(
                memberships__user=user, memberships__state=MembershipState.ACTIVE
            ).values("pk"),
            deleted_at__isnull=True,
            hidden_at__isnull=True,
        )
        .annotate(
            fresh=Case(
                When(last_activity_at__gte=feed.fresh_since(now), then=Value(True)),
                default=Value(False),
            ),
            rank=ExpressionWrapper(
                F("last_activity_at") + Value(feed.HEAD_START), output_field=DateTimeField()
            ),
        )
        .order_by("-fresh", "-rank", "-pk")
        .values(
            "pk",
            "title",
            "kind",
            "reply_count",
            "last_activity_at",
            "author_id",
            "fresh",
            "rank",
            "community__name",
            "community__slug",
            "author__username",
            "author__display_name",
            "author__first_name",
            "author__last_name",
            "author__department__name",
        )
    )


def threads_visible_to(user: User) -> QuerySet[Thread]:
    """Every thread `user` may read anywhere: in a community they may read, neither deleted
    nor hidden (global search, the directory's matching threads)."""
    if not (user.is_authenticated and user.is_active):
        return Thread.objects.none()
    return Thread.objects.filter(
        community__in=readable_community_ids(user),
        deleted_at__isnull=True,
        hidden_at__isnull=True,
    )


def communities_visible_to(user: User) -> QuerySet[Community]:
    """Every community that exists for `user` (the directory's rule), without the joins."""
    if not (user.is_authenticated and user.is_active):
        return Community.objects.none()
    return Community.objects.filter(
        pk__in=Community.objects.filter(visible_communities_q(user)).values("pk")
    )


# --- What the pages show, shaped once (views stay parse, check, call, render) ----------------


def directory_context(*, user: User, filters: dict[str, Any], page: str | None) -> dict[str, Any]:
    """The directory page: one page of visible communities and the person's memberships (the
    page links to global search for the threads matching the words)."""
    department = filters.get("department")
    communities = community_list(
        user=user,
        query=filters.get("q", ""),
        department_id=department.pk if department else None,
        activity=filters.get("activity", ""),
        mine=bool(filters.get("mine")),
    )
    return {
        "page": Paginator(communities, COMMUNITIES_PER_PAGE).get_page(page),
        "memberships": memberships_of(user),
        "can_create": permissions.can_create_community(user),
        "query": filters.get("q", ""),
    }


def community_context(*, user: User, community: Community) -> dict[str, Any]:
    """The header every page of a community shows: the person's membership, the counts and
    what they may do there (one query for the membership, one for the counts)."""
    membership = permissions.membership_of(user, community)
    counts = community.memberships.aggregate(
        members=Count("pk", filter=Q(state=MembershipState.ACTIVE)),
        pending=Count("pk", filter=Q(state=MembershipState.REQUESTED)),
    )
    return {
        "community": community,
        "membership": membership,
        "member_count": counts["members"],
        "pending_count": counts["pending"],
        "can_read": permissions.can_read_community(user, community, membership),
        "can_manage": permissions.can_manage_community(user, community, membership),
        "can_join": permissions.can_join_community(user, community, membership),
        "can_request": permissions.can_request_community(user, community, membership),
        "can_leave": permissions.can_leave_community(user, community, membership),
    }


def community_threads_context(
    *, user: User, context: dict[str, Any], page: str | None
) -> dict[str, Any]:
    """What a reader of the community page sees below its header (`context`, from
    `community_context`): one page of threads, and the form to start one if they may."""
    community, membership = context["community"], context["membership"]
    threads = community_threads(community=community, user=user, can_moderate=context["can_manage"])
    extra: dict[str, Any] = {
        "page": Paginator(threads, THREADS_PER_PAGE).get_page(page),
        "can_announce": permissions.can_start_thread(
            user, community, ThreadKind.ANNOUNCEMENT, membership
        ),
        "can_start": permissions.can_start_thread(
            user, community, ThreadKind.DISCUSSION, membership
        ),
    }
    return extra


def thread_context(
    *,
    thread: Thread,
    user: User,
    request: HttpRequest | None,
    only_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """The thread page: what the person may do, and the replies (interactions' conversation)
    with the accepted answer first. With `only_ids`, only those replies, as a flat list (a
    live update rendered for one reader: communities.live_render)."""
    community = thread.community
    membership = permissions.membership_of(user, community)
    context: dict[str, Any] = comment_thread_context(
        thread, user, request=request, only_ids=only_ids
    )
    # comment_thread_context names the conversation "thread": it is "conversation" here.
    conversation = context.pop("thread")
    conversation.comments = replies.accepted_first(conversation.comments, thread.accepted_reply_id)
    first = conversation.comments[:1]
    context.update(
        thread=thread,
        community=community,
        membership=membership,
        conversation=conversation,
        accepted=next(
            (i for c in first for i in (c, *c.thread_replies) if getattr(i, "is_accepted", 0)),
            None,
        ),
        can_edit=permissions.can_edit_thread(user, thread, membership),
        can_delete=permissions.can_delete_thread(user, thread, membership),
        can_moderate=permissions.can_moderate_thread(user, thread, membership),
        can_accept=permissions.can_accept_answer(user, thread, membership),
        reply_refusal=permissions.reply_refusal_reason(user, thread, membership),
    )
    return context


def threads_for_digest(*, user: User, since: datetime, until: datetime) -> QuerySet[Any]:
    """New threads for `user`'s weekly content digest (notifications' content digest, through
    core.content): started in [since, until) in a community `user` is an active member of
    (the communities one "follows"), neither hidden nor deleted, not by `user`, by an author
    still employed, and not opened by `user` yet. Membership is required, as in the home feed,
    so leaving or being removed from a private community stops its threads at once. As plain
    values, newest first."""
    viewed = ParticipationEvent.objects.filter(
        actor_id=user.pk,
        verb=Verb.VIEWED,
        object_type=Thread._meta.label_lower,
        object_id=OuterRef("pk"),
    )
    return (
        Thread.objects.filter(
            community__in=Community.objects.filter(
                memberships__user=user, memberships__state=MembershipState.ACTIVE
            ).values("pk"),
            created_at__gte=since,
            created_at__lt=until,
            deleted_at__isnull=True,
            hidden_at__isnull=True,
            author__is_active=True,
        )
        .exclude(author_id=user.pk)
        .exclude(Exists(viewed))
        .order_by("-created_at", "-pk")
        .values(
            "pk",
            "title",
            "body",
            "created_at",
            "community__name",
            "community__slug",
            "author__username",
            "author__display_name",
            "author__first_name",
            "author__last_name",
        )
    )
