"""Version numbers in the cache: what is cached from the database is kept under them.

A cached entry (the home feed's page 1, a reader's conversation, the navigation) is stored
with the versions of what it was made from, read *before* the database, and used only while
they still hold. A write bumps them twice: at once, so that the writer's own next page (and a
test inside one transaction) is right, and again on commit, so that an entry built from the
database between the two bumps (before the write was visible) carries the first bump's
version and is never served again.

A version missing from the cache (never set, evicted, the cache emptied) is created with a
fresh value, never used before, so an entry is never stored or read under an absent version.

Within one request (`RequestVersionsMiddleware`) a version is read from the cache once: a page
asks the route version for its site, its route, its view restrictions and its article, and
every read after the first is answered from the request's memo. That keeps the rule (each
version is read before the rows made under it: earlier, if anything) and a bump made by the
request itself drops the memo's value, so its own next read sees the new one.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

# The versions read during the current request (None outside a request: a task, a command).
_request_memo: ContextVar[dict[str, int] | None] = ContextVar("ruche_versions", default=None)
# Versions nearly every page reads, named by their owners (`usual_version`): the request's
# first read fetches them as well, in the same round trip. `_PRIMED` marks that it did.
_usual: set[str] = set()
_PRIMED = ""


def usual_version(key: str) -> str:
    """Name `key` as a version nearly every page reads (the route, the people); returns it."""
    _usual.add(key)
    return key


@contextmanager
def versions_memo() -> Iterator[None]:
    """Read each version once in this block (one request, see the module's docstring)."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def fresh_version() -> int:
    """A starting version never used before, even after the cache was emptied."""
    return time.time_ns()


def bump(key: str) -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(key, None)
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
    memo = _request_memo.get()
    known = {key: memo[key] for key in keys if key in memo} if memo is not None else {}
    missing = [key for key in keys if key not in known]
    usual: list[str] = []
    if memo is not None and _PRIMED not in memo:
        memo[_PRIMED] = 1
        usual = [key for key in _usual if key not in memo and key not in missing]
    found = cache.get_many([*missing, *usual, *also]) if missing or usual or also else {}
    for key in usual:  # kept for this request's next reads; a missing one is made when asked
        value = found.pop(key, None)
        if value is not None and memo is not None:
            memo[key] = value
    for key in missing:
        if found.get(key) is None:
            cache.add(key, fresh_version(), None)
            found[key] = cache.get(key, 0)
        if memo is not None:
            memo[key] = found[key]
    found.update(known)
    for key in also:
        found.setdefault(key, None)
    return found


def kept_under(
    key: str, versions: list[str], read: Callable[[], T], *, seconds: int
) -> tuple[T, tuple[int, ...]]:
    """The value kept under `key` while the `versions` it was read under still hold, else
    `read()`'s (the versions are read first, in the same round trip as the entry), kept for
    `seconds`; with the versions, for whatever is made from the value. None is kept too.

    A copy is also kept in this process (`_LocalEntries`): while the versions hold, a page's
    site, route and rights cost no cache round trip of their own."""
    local = _local.get(key)
    if local is not None:
        stamp = _stamp(read_versions(versions), versions)
        if local[0] == stamp:
            return pickle.loads(local[1]), stamp  # noqa: S301 - written by this process
        entry = cache.get(key)
    else:
        found = read_versions(versions, also=(key,))
        stamp, entry = _stamp(found, versions), found[key]
    if entry is not None and entry[0] == stamp:
        value = entry[1]
    else:
        value = read()
        cache.set(key, (stamp, value), seconds)
    _local.put(key, stamp, value, seconds)
    return value, stamp


def _stamp(found: dict[str, Any], versions: list[str]) -> tuple[int, ...]:
    return tuple(found[name] for name in versions)


class _LocalEntries:
    """The entries `kept_under` read lately, in this process: (stamp, pickled value, expiry).

    Served only while the versions read in the cache still equal the stamp, so a write in any
    process makes them stale everywhere at once, as it does for the shared entry. Pickled, as
    in the cache: each use gets its own copy (callers set attributes on pages). Bounded: the
    oldest go first."""

    SIZE = 2048

    def __init__(self) -> None:
        self._entries: OrderedDict[str, tuple[tuple[int, ...], bytes, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[tuple[int, ...], bytes] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[2] < time.monotonic():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[0], entry[1]

    def put(self, key: str, stamp: tuple[int, ...], value: Any, seconds: int) -> None:
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._entries[key] = (stamp, data, time.monotonic() + seconds)
            self._entries.move_to_end(key)
            while len(self._entries) > self.SIZE:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_local = _LocalEntries()
