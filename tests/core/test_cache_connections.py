"""The Redis cache keeps its connections (core.cache.SharedRedisCacheClient): Django makes a
cache object per thread and per request context, and each one used to open its own TCP
connection to Redis. Counted by the real Redis server (`INFO stats`)."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest
import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache, caches

from core.cache import DegradingRedisCache

pytestmark = pytest.mark.skipif(
    not isinstance(caches["default"], DegradingRedisCache), reason="the Redis cache is configured"
)


def connections_received() -> int:
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    try:
        return int(server.info("stats")["total_connections_received"])
    finally:
        server.close()


def test_cache_objects_of_many_threads_share_one_pool():
    cache.set("shared-pool", 1)  # this process's pool is open
    before = connections_received()

    def one_request() -> None:
        # A thread of its own: Django gives it a cache object of its own.
        assert caches["default"].get("shared-pool") == 1

    for _ in range(20):
        worker = threading.Thread(target=one_request)
        worker.start()
        worker.join()
    # The measuring client's own connection is the only new one.
    assert connections_received() - before <= 1


def test_request_contexts_under_asgi_share_one_pool():
    cache.set("shared-pool", 2)
    before = connections_received()

    def read() -> int:
        return caches["default"].get("shared-pool")

    async def requests() -> None:
        for _ in range(20):
            # Each request of Django's ASGI handler runs in a task of its own, started from
            # the server's context, where no cache object was made.
            task = asyncio.create_task(sync_to_async(read)(), context=contextvars.Context())
            assert await task == 2

    asyncio.run(requests())
    assert connections_received() - before <= 1


def test_a_cache_object_still_answers_a_miss_when_redis_is_unreachable():
    unreachable = DegradingRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"breaker_seconds": 0.1}}
    )
    assert unreachable.get("anything", "missing") == "missing"
    # Each location has its own client: the configured cache is not affected.
    cache.set("still-there", 3)
    assert cache.get("still-there") == 3
