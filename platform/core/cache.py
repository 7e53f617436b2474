"""Django's Redis cache, made to degrade: with Redis down, every read is a miss.

Ruche only caches things it can recompute from PostgreSQL (sessions are `cached_db`, feeds,
counts, viewer rosters), so an unreachable Redis must slow pages down, not break them.
Django's RedisCache raises on every connection error; this subclass logs the error once,
answers as if the key were absent, and then stops trying for `BREAKER_SECONDS` (a circuit
breaker: without it, every cache call of every request would pay a connection attempt).
After that pause the next call tries Redis again, so the cache comes back by itself.

**One connection pool per process.** Django makes a cache object per thread and, under ASGI,
per request (its handler is context-local), and each object made its own Redis client with
its own connection pool: every request opened a new TCP connection to Redis and closed it at
the end (1,132 connections for 1,130 requests of the load benchmark), and every cache call
built a new `redis.Redis` object (a few hundred dictionary entries each). The client and its
pools are now shared by every cache object of the process with the same location and options
(`SharedRedisCacheClient`): redis-py's pools are thread-safe and start afresh in a forked child.

What a miss means per operation: get() returns the default, add() returns True (the key was
absent; the callers that use add() as a "first time today" guard then fall through to the
database, which has the unique constraint), incr() returns `delta` (a counter starting from
nothing), has_key() / delete() / touch() return False, set_many() returns the keys not set.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Errors that mean "Redis is not there", not a bug in the caller: only these are swallowed.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

T = TypeVar("T")

# Django makes one cache object per thread (and per async task); the breaker is shared by the
# process, keyed by location, so one failed call spares every other thread the wait.
_open_until: dict[str, float] = {}
_lock = threading.Lock()
# One client (and its connection pools) per location and options, for the whole process.
_clients: dict[str, RedisCacheClient] = {}


class SharedRedisCacheClient(RedisCacheClient):
    """Django's client, with one `redis.Redis` per connection pool instead of one per call."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._redis_clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._redis_clients.get(id(pool))
        if client is None:
            client = self._redis_clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class DegradingRedisCache(RedisCache):
    """RedisCache whose connection errors are misses; OPTIONS["breaker_seconds"] (default 5)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self.breaker_seconds = float(options.pop("breaker_seconds", 5.0))
        # Fail fast: an unreachable host must not hold a request for redis-py's default
        # (no timeout at all).
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker_key = server
        self._class = SharedRedisCacheClient

    @cached_property
    def _cache(self) -> RedisCacheClient:
        identity = repr((self._servers, sorted(self._options.items())))
        with _lock:
            client = _clients.get(identity)
            if client is None:
                client = _clients[identity] = self._class(self._servers, **self._options)
        return client

    def is_available(self) -> bool:
        """False while the breaker is open (a recent connection error)."""
        return _open_until.get(self._breaker_key, 0.0) <= time.monotonic()

    def _guard(self, call: Callable[[], T], miss: T) -> T:
        if not self.is_available():
            return miss
        try:
            return call()
        except UNAVAILABLE as error:
            with _lock:
                was_closed = _open_until.get(self._breaker_key, 0.0) <= time.monotonic()
                _open_until[self._breaker_key] = time.monotonic() + self.breaker_seconds
            if was_closed:  # once per outage window, not once per call
                logger.warning(
                    "cache unavailable, serving without it for %.0f s: %s",
                    self.breaker_seconds,
                    error,
                )
            return miss

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guard(
            lambda: super(DegradingRedisCache, self).add(
                key, value, version=version, timeout=timeout
            ),
            True,
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(
            lambda: super(DegradingRedisCache, self).get(key, default, version), default
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guard(
            lambda: super(DegradingRedisCache, self).set(
                key, value, version=version, timeout=timeout
            ),
            None,
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(DegradingRedisCache, self).touch(key, version=version, timeout=timeout),
            False,
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: super(DegradingRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._guard(lambda: super(DegradingRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: super(DegradingRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._guard(
            lambda: super(DegradingRedisCache, self).incr(key, delta, version), delta
        )

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._guard(
            lambda: super(DegradingRedisCache, self).set_many(
                data, version=version, timeout=timeout
            ),
            list(data),
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._guard(lambda: super(DegradingRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._guard(lambda: super(DegradingRedisCache, self).clear(), None)
