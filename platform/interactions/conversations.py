"""Whole conversations kept in the cache per reader, under the conversation's version.

Reading a long conversation (its comments with their authors and departments, the reaction
counts, the reader's own reactions and rights on each) was most of a post or thread page
(about a third of the thread page's time), and the fragments of `interactions.fragments` could
only be found once every row had been read to make their keys. So `comment_thread` keeps what
it built for a reader under a key made of:

- the conversation's **version**, bumped by `conversation_changed()` for anything that changes
  one of its comments or reactions (a comment written, edited, removed, hidden or restored, a
  reaction given or taken back, on the target or on any of its comments): the receivers below
  bump it for every save and deletion of a comment or a reaction, whatever code path makes it;
- the **people generation** (`people.generation`), bumped for what changes how comments show
  everywhere at once: a person's name, photo, job title, department or active state, a
  department renamed, an erasure;
- the reader, and the reader's rights on the target as computed for this request (may see,
  comment, moderate, react). Rights are never read from the cache: a person who joins,
  leaves or is made moderator is asked afresh, and gets another entry.

Both are bumped at once and again on commit, and read before the database: a change committed
while a conversation is being built leaves that entry under the old version, never read again.
An entry lasts `ENTRY_SECONDS` at most.

A comment read through this cache carries `conversation_key`: the fragments of its HTML are
keyed by it (`interactions.fragments.fragment_key`), without reading every field again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.versions import bump_now_and_on_commit, read_versions
from interactions.models import Comment, Reaction
from interactions.targets import target_content_type
from people.generation import GENERATION_KEY

VERSION_PREFIX = "conversation:version"
ENTRY_PREFIX = "conversation"
# An hour bounds how long a write that escaped the receivers below (raw SQL, a restored
# database under a kept cache) could be shown; a reader coming back within it reads one entry.
ENTRY_SECONDS = 60 * 60


def _version_key(content_type_id: int, object_id: int) -> str:
    return f"{VERSION_PREFIX}:{content_type_id}:{object_id}"


def conversation_changed(content_type_id: int, object_id: int) -> None:
    """A comment or reaction of this conversation changed (at once and on commit)."""
    bump_now_and_on_commit(_version_key(content_type_id, object_id))


def version_key(target: Any) -> str:
    """Where the target's conversation version is kept (`core.versions`)."""
    return _version_key(target_content_type(target).pk, target.pk)


def versions(target: Any) -> tuple[int, int]:
    """The target's conversation version and the people generation, in one cache read; read
    them before the database (see the module's docstring)."""
    key = _version_key(target_content_type(target).pk, target.pk)
    found = read_versions([key, GENERATION_KEY])
    return found[key], found[GENERATION_KEY]


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
