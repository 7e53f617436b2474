"""Live updates pause while Redis is down and resume by themselves when it is back (issue 12,
item 6): a page's socket stays open, and the web process subscribes to its groups again
without a restart. A real throw-away redis-server, stopped and started again on its port."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels_redis.pubsub import RedisPubSubChannelLayer

from communities.live import community_group
from communities.models import AccessMode, Role
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.communities.test_consumers import _next_of_type, _open, community_path
from tests.operations.test_redis_down import (
    REDIS_SERVER,
    _free_port,
    _redis_settings,
    _start_redis,
    _stop,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server"),
]


def _thread_created(number: int) -> dict:
    return {
        "type": "live.event",
        "event": "thread.created",
        "seq": number,
        "thread": {"id": number, "hidden": True},
    }


async def test_a_page_hears_again_once_redis_is_back(settings, employee, colleague):
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    _redis_settings(settings, url, breaker=0.3)
    server = _start_redis(port)
    community = await sync_to_async(CommunityFactory)(
        access=AccessMode.OPEN, slug="club", name="Club", created_by=colleague
    )
    await sync_to_async(MembershipFactory)(community=community, user=employee, role=Role.MEMBER)
    # Another web or Celery process publishing (its own layer instance, the same settings).
    other_process = RedisPubSubChannelLayer(**settings.CHANNEL_LAYERS["default"]["CONFIG"])
    try:
        page = await _open(community_path(community), employee)
        await other_process.group_send(community_group(community.pk), _thread_created(1))
        assert (await _next_of_type(page, "thread.created"))["thread"]["id"] == 1

        await sync_to_async(_stop)(server)
        await asyncio.sleep(1.5)  # the process notices: its subscription's reads fail
        server = await sync_to_async(_start_redis)(port)
        await other_process.flush()  # the publisher's old connection died with the server

        # Published again and again until it arrives: the process re-subscribes on its own.
        # (One long wait: the test communicator cancels the application on a timeout.)
        async def publish_until_cancelled() -> None:
            number = 2
            while True:
                with contextlib.suppress(Exception):  # refused until the server listens
                    await other_process.group_send(
                        community_group(community.pk), _thread_created(number)
                    )
                number += 1
                await asyncio.sleep(0.2)

        publisher = asyncio.ensure_future(publish_until_cancelled())
        started = time.monotonic()
        try:
            heard = await _next_of_type(page, "thread.created", timeout=15)
        finally:
            publisher.cancel()
        assert heard["thread"]["id"] >= 2
        assert time.monotonic() - started < 15
        await page.disconnect()
    finally:
        await other_process.flush()
        channel_layers.backends.clear()
        if server.poll() is None:
            await sync_to_async(_stop)(server)
