"""Reachability checks of the services Ruche depends on, for /healthz."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from asgiref.sync import async_to_sync
from celery import current_app
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection

TIMEOUT_SECONDS = 3


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("value written to the cache could not be read back")
    cache.delete(key)


def check_channel_layer() -> None:
    import asyncio
    import contextlib

    layer = get_channel_layer()

    async def round_trip() -> None:
        channel = await layer.new_channel("healthz.")
        try:
            await layer.send(channel, {"type": "healthz.ping"})
            message = await asyncio.wait_for(layer.receive(channel), timeout=TIMEOUT_SECONDS)
        finally:
            # The pub/sub layer stays subscribed to a channel until a receive on it is
            # cancelled (what Channels does when a consumer leaves): do the same, or every
            # check would leave a subscription behind in the web process.
            pending = asyncio.ensure_future(layer.receive(channel))
            await asyncio.sleep(0)
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pending
        if message.get("type") != "healthz.ping":
            raise RuntimeError("unexpected message on the channel layer")

    async_to_sync(round_trip)()


def check_broker() -> None:
    # The project's Celery app is the current one (ruche/__init__.py creates it first); core
    # sits below ruche and does not import it.
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
}


def run_checks() -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure is a failed check, reported by its kind
            results[name] = {"ok": False, "error": type(error).__name__}
        else:
            results[name] = {"ok": True}
    return results
