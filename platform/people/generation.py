"""One number that changes whenever something about people or departments changes.

Pages show people everywhere (an author's name, photo and department beside each comment, the
directory, who heads which department in the navigation). What is cached from them is kept
under this generation, read before the database and bumped at once and again on commit by
every save and deletion of a person or a department, whatever code path makes it (services,
the admin, the directory import, SCIM, an erasure): an entry made from a state that was about
to change is never read again (the home feed's page-1 cache works the same way, `core.feed`).
A sign-in, which only stamps `last_login`, changes nothing anyone sees and bumps nothing.

`QuerySet.update()` sends no signal: code that updates people in bulk calls `people_changed()`.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from people.models import Department, User

GENERATION_KEY = "people:generation"
# Saves of these fields alone change nothing a page shows.
SILENT_USER_FIELDS = frozenset({"last_login", "password"})


def fresh_version() -> int:
    """A starting version never used before, even after the cache was emptied."""
    return int(timezone.now().timestamp() * 1000)


def bump_now_and_on_commit(key: str) -> None:
    """Bump the version kept in the cache under `key` at once and again on commit."""

    def bump() -> None:
        try:
            cache.incr(key)
        except ValueError:  # no version yet, or the cache was emptied
            cache.set(key, fresh_version(), None)

    bump()
    transaction.on_commit(bump)


def read_versions(keys: list[str]) -> dict[str, int]:
    """The versions kept under `keys` in one cache read, a fresh one for any missing."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, fresh_version(), None)
            found[key] = cache.get(key, 0)
    return found


def people_generation() -> int:
    return read_versions([GENERATION_KEY])[GENERATION_KEY]


def people_changed() -> None:
    """A person or a department changed (at once and on commit)."""
    bump_now_and_on_commit(GENERATION_KEY)


@receiver(post_save, sender=User)
def _person_saved(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields and set(update_fields) <= SILENT_USER_FIELDS:
        return
    people_changed()


@receiver(post_delete, sender=User)
@receiver(post_save, sender=Department)
@receiver(post_delete, sender=Department)
def _people_changed(sender: Any, **kwargs: Any) -> None:
    people_changed()
