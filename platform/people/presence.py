"""Who is online: a connection count per person in the shared cache.

Each open websocket counts one; a person is online while their count is above zero. The key
expires unless a connection sends a heartbeat, so a crashed process cannot leave someone
"online" forever.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache

PRESENCE_TTL = 120  # seconds; clients send a heartbeat every 45 s


def _key(user_id: int) -> str:
    return f"presence:{user_id}"


def presence_connect(user_id: int) -> bool:
    """Count one more connection; True when the person just came online."""
    key = _key(user_id)
    cache.add(key, 0, timeout=PRESENCE_TTL)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=PRESENCE_TTL)
        count = 1
    cache.touch(key, timeout=PRESENCE_TTL)
    return count == 1


def presence_disconnect(user_id: int) -> bool:
    """Count one connection less; True when the person just went offline."""
    key = _key(user_id)
    try:
        count = cache.decr(key)
    except ValueError:
        return True
    if count <= 0:
        cache.delete(key)
        return True
    return False


def presence_heartbeat(user_id: int) -> None:
    if not cache.touch(_key(user_id), timeout=PRESENCE_TTL):
        cache.set(_key(user_id), 1, timeout=PRESENCE_TTL)


def online_among(user_ids: Iterable[int]) -> set[int]:
    ids = list(user_ids)
    found = cache.get_many([_key(i) for i in ids])
    return {i for i in ids if (found.get(_key(i)) or 0) > 0}
