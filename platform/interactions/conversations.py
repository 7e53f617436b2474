"""Whole conversations kept in the cache per reader, under the conversation's version.

Reading a long conversation (its comments with their authors and departments, the reaction
counts, the reader's own reactions and rights on each) was most of a post or thread page
(about a third of the thread page's time), and the fragments of `interactions.fragments` could
only be found once every row had been read to make their keys. So `comment_thread` keeps what
it built for a reader under a key made of:

- the conversation's **version**, bumped by `conversation_changed()` for anything that changes
  one of its comments or reactions (a comment written, edited, removed, hidden or restored, a
  reaction given or taken back, on the target or on any of its comments);
- the **generation** shared by every conversation, bumped by `conversations_changed()` for what
  changes how comments show everywhere at once: a person's name, photo, job title, department
  or active state, a department renamed, an erasure (people, privacy);
- the reader, and the reader's rights on the target as computed for this request (may see,
  comment, moderate, react, and why not). Rights are never read from the cache: a person who
  joins, leaves or is made moderator is asked afresh, and gets another entry.

Both versions are bumped at once and again on commit, and read before the database: a change
committed while a conversation is being built leaves that entry under the old version, never
read again (the home feed's page-1 cache works the same way, `core.feed`). The receivers below
bump them for every save and delete of the models involved, whatever code path saves them
(services, the admin, the directory import); `QuerySet.update()` sends no signal, so the few
bulk writes of these models call `conversations_changed()` themselves (privacy's erasure).

A comment read through this cache carries `conversation_key`: the fragments of its HTML are
keyed by it (`interactions.fragments.fragment_key`), without reading every field again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from interactions.models import Comment, Reaction
from interactions.targets import target_content_type
from people.models import Department, User

GENERATION_KEY = "conversation:generation"
VERSION_PREFIX = "conversation:version"
ENTRY_PREFIX = "conversation"
# An hour bounds how long a write that escaped the receivers below (raw SQL, a restored
# database under a kept cache) could be shown; a reader coming back within it reads one entry.
ENTRY_SECONDS = 60 * 60
# Saves of these fields alone change nothing a conversation shows (a sign-in stamps
# last_login on every session).
SILENT_USER_FIELDS = frozenset({"last_login", "password"})


def _version_key(content_type_id: int, object_id: int) -> str:
    return f"{VERSION_PREFIX}:{content_type_id}:{object_id}"


def _fresh() -> int:
    # Never a number an earlier entry was made under, even after the cache was emptied.
    return int(timezone.now().timestamp() * 1000)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no version yet, or the cache was emptied
        cache.set(key, _fresh(), None)


def _bump_now_and_on_commit(key: str) -> None:
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def conversation_changed(content_type_id: int, object_id: int) -> None:
    """A comment or reaction of this conversation changed (at once and on commit)."""
    _bump_now_and_on_commit(_version_key(content_type_id, object_id))


def conversations_changed() -> None:
    """Something every conversation may show changed (at once and on commit)."""
    _bump_now_and_on_commit(GENERATION_KEY)


def versions(target: Any) -> tuple[int, int]:
    """The target's conversation version and the shared generation, in one cache read; read
    them before the database (see the module's docstring)."""
    keys = [_version_key(target_content_type(target).pk, target.pk), GENERATION_KEY]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), None)
            found[key] = cache.get(key, 0)
    return found[keys[0]], found[keys[1]]


def entry_key(target: Any, viewer: Any, stamp: tuple[int, int], rights: tuple[Any, ...]) -> str:
    """Where the conversation of `target` as `viewer` sees it is kept, for these versions and
    these rights (every value `comment_thread` decides with besides the rows)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(
        repr((target_content_type(target).pk, target.pk, viewer.pk, stamp, rights)).encode()
    )
    return f"{ENTRY_PREFIX}:{digest.hexdigest()}"


def entry_get(key: str) -> Any:
    return cache.get(key)


def entry_set(key: str, value: Any) -> None:
    cache.set(key, value, ENTRY_SECONDS)


# --- What bumps them ---------------------------------------------------------------------------


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def _comment_changed(sender: Any, instance: Comment, **kwargs: Any) -> None:
    conversation_changed(instance.content_type_id, instance.object_id)


@receiver(post_save, sender=Reaction)
@receiver(post_delete, sender=Reaction)
def _reaction_changed(sender: Any, instance: Reaction, **kwargs: Any) -> None:
    if instance.content_type_id != target_content_type(Comment).pk:
        conversation_changed(instance.content_type_id, instance.object_id)
        return
    # A reaction on a comment belongs to the comment's conversation.
    target = (
        Comment._base_manager.filter(pk=instance.object_id)
        .values_list("content_type_id", "object_id")
        .first()
    )
    if target is not None:
        conversation_changed(*target)


@receiver(post_save, sender=User)
@receiver(post_save, sender=Department)
def _people_saved(
    sender: Any, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    # Someone or something new appears in no conversation yet.
    if created or (update_fields and set(update_fields) <= SILENT_USER_FIELDS):
        return
    conversations_changed()


@receiver(post_delete, sender=User)
@receiver(post_delete, sender=Department)
def _people_deleted(sender: Any, **kwargs: Any) -> None:
    conversations_changed()
