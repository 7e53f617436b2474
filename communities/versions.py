"""A community's and a thread's versions, and their rows kept in the cache under them.

The thread page is the most read page of the communities. Its rows (the thread with its
author, the community, the reader's membership) change far less often than they are read, so
they are kept in the cache under versions (`core.versions`): a thread's version, bumped by
every save and deletion of the thread and by every reply (its count and last activity are
written with `QuerySet.update()`, which sends no signal), and a community's version, bumped by
every save and deletion of the community and of any of its memberships (joining, leaving, a
request approved, a promotion). Whatever the path of the change (services, the admin, an
erasure), the receivers below bump them at once and again on commit; code that updates these
rows in bulk calls `thread_changed` / `community_changed` itself.

Only rows are kept: every permission is decided on each request from them and from the
reader's own account (`communities.permissions`), as without the cache.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from communities.models import Community, Membership, Thread
from core.versions import bump_now_and_on_commit, fresh_version, kept_under
from people.generation import GENERATION_KEY
from people.models import User

# An hour bounds how long a write that escaped the receivers (raw SQL) could be shown.
ROW_SECONDS = 60 * 60


def _thread_key(thread_id: int) -> str:
    return f"community:thread:version:{thread_id}"


def _community_key(community_id: int) -> str:
    return f"community:version:{community_id}"


def thread_changed(thread_id: int) -> None:
    bump_now_and_on_commit(_thread_key(thread_id))


def community_changed(community_id: int) -> None:
    bump_now_and_on_commit(_community_key(community_id))


def thread_stamp(thread: Thread) -> tuple[int, int, int]:
    """The versions the thread's row was read under (thread, community, people); part of the
    key of anything rendered from it."""
    return thread.row_stamp  # type: ignore[attr-defined, no-any-return]


def thread_row(thread_id: int) -> Thread | None:
    """The thread (any state: the caller decides who sees it) with its author and their
    department, who hid it and its community, as the database has them; None if there is no
    such thread. Versions are read before the rows, so a row read while a change was being
    written is stored under the version that change replaces, and never read again."""
    thread, (version, generation) = kept_under(
        f"community:thread:row:{thread_id}",
        [_thread_key(thread_id), GENERATION_KEY],
        lambda: (
            Thread.objects.select_related("author__department", "hidden_by")
            .filter(pk=thread_id)
            .first()
        ),
        seconds=ROW_SECONDS,
    )
    if thread is None:
        return None
    community, community_version = community_row(thread.community_id)
    if community is None:  # deleted between the two reads
        return None
    thread.community = community
    thread.row_stamp = (version, community_version, generation)  # type: ignore[attr-defined]
    return thread


def community_row(community_id: int) -> tuple[Community | None, int]:
    """The community as the database has it, and the community version it was read under
    (with the people generation, in `community_stamp`)."""
    community, stamp = kept_under(
        f"community:row:{community_id}",
        [_community_key(community_id), GENERATION_KEY],
        lambda: Community.objects.filter(pk=community_id).first(),
        seconds=ROW_SECONDS,
    )
    if community is not None:
        community.row_stamp = stamp  # type: ignore[attr-defined]
    return community, stamp[0]


def community_stamp(community: Community) -> tuple[int, int]:
    """The versions the community's row was read under (community, people)."""
    return community.row_stamp  # type: ignore[attr-defined, no-any-return]


def community_by_slug(slug: str) -> Community | None:
    """The community with this address, as `community_row` reads it."""
    slug_key = f"community:slug:{slug}"
    community_id = cache.get(slug_key)
    if community_id is not None:
        community, _version = community_row(community_id)
        if community is not None and community.slug == slug:
            return community
    # Unknown, or renamed since: where the address leads now, and its row under its version.
    community_id = Community.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if community_id is None:
        return None
    cache.set(slug_key, community_id, ROW_SECONDS)
    community, _version = community_row(community_id)
    if community is not None and community.slug == slug:
        return community
    # Renamed between the two reads: the database decides, and what is rendered from this row
    # is stamped with a version never used before, so it is never read again.
    community = Community.objects.filter(slug=slug).first()
    if community is not None:
        community.row_stamp = (fresh_version(), fresh_version())  # type: ignore[attr-defined]
    return community


def membership_row(user: User, community: Community) -> Membership | None:
    """The reader's membership row in `community` (any state) or None, kept under the
    community's version."""
    membership, _stamp = kept_under(
        f"community:membership:{community.pk}:{user.pk}",
        [_community_key(community.pk)],
        lambda: Membership.objects.filter(community=community, user=user).first(),
        seconds=ROW_SECONDS,
    )
    return membership


# --- What bumps them ---------------------------------------------------------------------------


@receiver(post_save, sender=Thread)
@receiver(post_delete, sender=Thread)
def _thread_saved(sender: Any, instance: Thread, **kwargs: Any) -> None:
    thread_changed(instance.pk)
    community_changed(instance.community_id)  # its page lists the thread


@receiver(post_save, sender=Community)
@receiver(post_delete, sender=Community)
def _community_saved(sender: Any, instance: Community, **kwargs: Any) -> None:
    community_changed(instance.pk)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_saved(sender: Any, instance: Membership, **kwargs: Any) -> None:
    community_changed(instance.community_id)


@receiver(m2m_changed, sender=Community.departments.through)
def _departments_changed(sender: Any, instance: Any, pk_set: Any, **kwargs: Any) -> None:
    # From either side: a community's departments, or a department's communities.
    if isinstance(instance, Community):
        community_changed(instance.pk)
    else:
        for community_id in pk_set or Community.objects.values_list("pk", flat=True):
            community_changed(community_id)
