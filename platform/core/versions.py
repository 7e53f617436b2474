"""Version numbers in the cache: what is cached from the database is kept under them.

A cached entry (the home feed's page 1, a reader's conversation, the navigation) is stored
with the versions of what it was made from, read *before* the database, and used only while
they still hold. A write bumps them twice: at once, so that the writer's own next page (and a
test inside one transaction) is right, and again on commit, so that an entry built from the
database between the two bumps (before the write was visible) carries the first bump's
version and is never served again.

A version missing from the cache (never set, evicted, the cache emptied) is created with a
fresh value, never used before, so an entry is never stored or read under an absent version.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def fresh_version() -> int:
    """A starting version never used before, even after the cache was emptied."""
    return time.time_ns()


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no version yet, or the cache was emptied
        cache.set(key, fresh_version(), None)


def bump_now_and_on_commit(key: str) -> None:
    """Bump the version kept under `key` at once and again on commit (see the docstring)."""
    bump(key)
    transaction.on_commit(lambda: bump(key))


def read_versions(keys: list[str], *, also: tuple[str, ...] = ()) -> dict[str, Any]:
    """The versions kept under `keys`, a fresh one for any missing, and the values under
    `also` (None when absent, nothing created), all in one cache read."""
    found = cache.get_many([*keys, *also])
    for key in keys:
        if found.get(key) is None:
            cache.add(key, fresh_version(), None)
            found[key] = cache.get(key, 0)
    for key in also:
        found.setdefault(key, None)
    return found


def kept_under(
    key: str, versions: list[str], read: Callable[[], T], *, seconds: int
) -> tuple[T, tuple[int, ...]]:
    """The value kept under `key` while the `versions` it was read under still hold, else
    `read()`'s (the versions are read first, in the same round trip as the entry), kept for
    `seconds`; with the versions, for whatever is made from the value. None is kept too."""
    found = read_versions(versions, also=(key,))
    stamp, entry = tuple(found[name] for name in versions), found[key]
    if entry is not None and entry[0] == stamp:
        return entry[1], stamp
    value = read()
    cache.set(key, (stamp, value), seconds)
    return value, stamp
