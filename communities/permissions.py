"""Who may do what in communities. Views, consumers, services and tasks all ask here.

Rules:
- Open and by-request communities are listed for everyone and their threads are readable by
  every employee; only active members write.
- A private community exists only for its active members, the people invited to it and
  administrators: for anyone else every URL, list, feed and socket behaves as if it did not
  exist (404, absent, refused).
- Managers (several per community) and administrators run a community: approve, invite,
  remove, promote, pin, lock, hide and restore.

Functions taking a `membership` accept the caller's already-fetched membership (or None) so
that a page asks the database once, not once per check.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from communities import versions
from communities.models import (
    AccessMode,
    Community,
    Membership,
    MembershipState,
    Role,
    Thread,
    ThreadKind,
)
from people.models import User

_UNSET = object()
# The asker's membership, remembered on the community object for the request (user id, row).
MEMBERSHIP_CACHE = "_membership_cache"


def _active_user(user: User) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def membership_of(user: User, community: Community) -> Membership | None:
    """The user's membership row in this community (any state), or None."""
    if not _active_user(user):
        return None
    cache: tuple[int, Membership | None] | None = getattr(community, MEMBERSHIP_CACHE, None)
    if cache is not None and cache[0] == user.pk:
        return cache[1]
    membership = Membership.objects.filter(community=community, user=user).first()
    setattr(community, MEMBERSHIP_CACHE, (user.pk, membership))
    return membership


def memberships_of(community: Community, user_ids: Iterable[int]) -> dict[int, Membership]:
    """The membership rows (any state) of these people in this community, in one query: the
    permission checks of many readers at once (a live reply, communities.live_render)."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = Membership.objects.filter(community=community, user_id__in=ids)
    return {m.user_id: m for m in rows}


def _membership(user: User, community: Community, membership: object) -> Membership | None:
    """The membership the caller passed (a row or None), or the one looked up when unset."""
    if not isinstance(membership, Membership):
        return membership_of(user, community) if membership is _UNSET else None
    setattr(community, MEMBERSHIP_CACHE, (user.pk, membership))
    return membership


def is_active_member(user: User, community: Community, membership: object = _UNSET) -> bool:
    m = _membership(user, community, membership)
    return m is not None and m.state == MembershipState.ACTIVE


def is_manager(user: User, community: Community, membership: object = _UNSET) -> bool:
    if not _active_user(user):
        return False
    if user.is_superuser:
        return True
    m = _membership(user, community, membership)
    return m is not None and m.state == MembershipState.ACTIVE and m.role == Role.MANAGER


def can_view_community(user: User, community: Community, membership: object = _UNSET) -> bool:
    """Whether the community exists for this person at all."""
    if not _active_user(user):
        return False
    if community.access != AccessMode.PRIVATE or user.is_superuser:
        return True
    m = _membership(user, community, membership)
    return m is not None and m.state in (MembershipState.ACTIVE, MembershipState.INVITED)


def can_read_community(user: User, community: Community, membership: object = _UNSET) -> bool:
    """Whether the person may read its threads and follow it live."""
    if not _active_user(user):
        return False
    if community.access != AccessMode.PRIVATE or user.is_superuser:
        return True
    return is_active_member(user, community, membership)


def can_join_community(user: User, community: Community, membership: object = _UNSET) -> bool:
    """Open communities: join at once. An invitation is accepted the same way."""
    if not _active_user(user):
        return False
    m = _membership(user, community, membership)
    if m is not None and m.state == MembershipState.INVITED:
        return True
    return community.access == AccessMode.OPEN and m is None


def can_request_community(user: User, community: Community, membership: object = _UNSET) -> bool:
    if not _active_user(user):
        return False
    return (
        community.access == AccessMode.BY_REQUEST
        and _membership(user, community, membership) is None
    )


def can_leave_community(user: User, community: Community, membership: object = _UNSET) -> bool:
    """Members leave; a request or an invitation can be withdrawn or declined the same way."""
    return _active_user(user) and _membership(user, community, membership) is not None


def can_manage_community(user: User, community: Community, membership: object = _UNSET) -> bool:
    """Approve, invite, remove, promote, edit the community, pin, lock, moderate."""
    return is_manager(user, community, membership)


def can_create_community(user: User) -> bool:
    # DESIGN.md: every employee may start a community; its creator becomes its first manager.
    return _active_user(user)


def can_start_thread(
    user: User, community: Community, kind: str, membership: object = _UNSET
) -> bool:
    if not _active_user(user):
        return False
    if kind == ThreadKind.ANNOUNCEMENT:
        return is_manager(user, community, membership)
    return is_active_member(user, community, membership) or bool(user.is_superuser)


def can_view_thread(user: User, thread: Thread, membership: object = _UNSET) -> bool:
    if thread.deleted_at is not None:
        return False
    if not can_read_community(user, thread.community, membership):
        return False
    if thread.hidden_at is not None:
        # A hidden thread stays visible to its author (who sees why) and to moderators.
        return user.pk == thread.author_id or is_manager(user, thread.community, membership)
    return True


def reply_refusal_reason(user: User, thread: Thread, membership: object = _UNSET) -> Promise | None:
    """Why this person may not reply to this thread, or None when they may."""
    if not can_view_thread(user, thread, membership):
        return _("This thread does not exist or is not visible to you.")
    if thread.hidden_at is not None:
        return _("This thread was hidden by a moderator: replies are closed.")
    if thread.locked:
        return _("This thread is locked: nobody can reply to it any more.")
    if not (is_active_member(user, thread.community, membership) or user.is_superuser):
        return _("Only members of this community can reply. Join it first.")
    return None


def can_reply_thread(user: User, thread: Thread, membership: object = _UNSET) -> bool:
    return reply_refusal_reason(user, thread, membership) is None


def can_edit_thread(user: User, thread: Thread, membership: object = _UNSET) -> bool:
    """Authors edit their own threads while visible; managers may edit any (e.g. typos)."""
    if not can_view_thread(user, thread, membership):
        return False
    if user.pk == thread.author_id and thread.hidden_at is None:
        return True
    return is_manager(user, thread.community, membership)


def can_delete_thread(user: User, thread: Thread, membership: object = _UNSET) -> bool:
    """Authors delete their own; managers hide instead (moderation never deletes)."""
    return can_view_thread(user, thread, membership) and user.pk == thread.author_id


def can_moderate_thread(user: User, thread: Thread, membership: object = _UNSET) -> bool:
    return can_view_thread(user, thread, membership) and is_manager(
        user, thread.community, membership
    )


def can_pin_thread(user: User, thread: Thread, membership: object = _UNSET) -> bool:
    return can_moderate_thread(user, thread, membership)


def can_lock_thread(user: User, thread: Thread, membership: object = _UNSET) -> bool:
    return can_moderate_thread(user, thread, membership)


def can_accept_answer(user: User, thread: Thread, membership: object = _UNSET) -> bool:
    """The asker, or a manager, marks which reply answers a question."""
    if thread.kind != ThreadKind.QUESTION or thread.hidden_at is not None:
        return False
    if not can_view_thread(user, thread, membership):
        return False
    return user.pk == thread.author_id or is_manager(user, thread.community, membership)


# --- Fetching or 404 ----------------------------------------------------------------------


def access_community(user: User, slug: str, *, cached: bool = False) -> Community:
    """The community with this slug if it exists for this person, else 404.

    `cached`: its row and the person's membership come from the cache under their versions
    (`communities.versions`), for pages that only read; the decision is the same."""
    if cached:
        community = versions.community_by_slug(slug)
        if community is not None and _active_user(user):
            membership = versions.membership_row(user, community)
            setattr(community, MEMBERSHIP_CACHE, (user.pk, membership))
    else:
        community = Community.objects.filter(slug=slug).first()
    if community is None or not can_view_community(user, community):
        raise Http404
    return community


def access_community_by_id(user: User, community_id: int) -> Community:
    community = Community.objects.filter(pk=community_id).first()
    if community is None or not can_view_community(user, community):
        raise Http404
    return community


def access_thread(
    user: User, thread_id: int, *, slug: str | None = None, cached: bool = False
) -> Thread:
    """The thread if this person may see it (and it belongs to `slug` when given), else 404.

    `cached`: its rows and the person's membership come from the cache under their versions
    (`communities.versions`), for pages that only read; the decision is the same."""
    if cached:
        thread = versions.thread_row(thread_id)
        if thread is not None and _active_user(user):
            membership = versions.membership_row(user, thread.community)
            setattr(thread.community, MEMBERSHIP_CACHE, (user.pk, membership))
    else:
        thread = (
            Thread.objects.select_related("community", "author__department", "hidden_by")
            .filter(pk=thread_id)
            .first()
        )
    if thread is None or (slug is not None and thread.community.slug != slug):
        raise Http404
    if not can_view_thread(user, thread):
        raise Http404
    return thread


# --- Websockets: the same rules, by id, answering None instead of raising -------------------


def community_for_socket(user: User, community_id: int) -> Community | None:
    """The community if this person may follow it live (read its threads), else None."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None or not can_read_community(user, community):
        return None
    return community


def thread_for_socket(user: User, thread_id: int) -> Thread | None:
    """The thread if this person may follow it live, else None."""
    thread = Thread.objects.select_related("community").filter(pk=thread_id).first()
    if thread is None or not can_view_thread(user, thread):
        return None
    return thread
