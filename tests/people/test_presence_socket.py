"""Websockets through the real ASGI application: session authentication, origin, groups."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from people.consumers import presence_group
from ruche.asgi import application
from tests.conftest import needs_redis

pytestmark = pytest.mark.django_db(transaction=True)


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def _connect(user=None, origin: bytes = b"http://testserver"):
    headers = [(b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_session_cookie)(user)))
    communicator = WebsocketCommunicator(application, "/ws/presence/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_anonymous_sockets_are_refused():
    _communicator, connected, code = await _connect(user=None)
    assert not connected
    assert code == 4401


async def test_foreign_origin_is_refused(employee):
    _communicator, connected, _ = await _connect(employee, origin=b"https://evil.example")
    assert not connected


async def test_watching_a_colleague_shows_them_coming_online_and_leaving(employee, colleague):
    watcher, connected, _ = await _connect(employee)
    assert connected
    await watcher.send_json_to({"type": "watch", "users": [colleague.pk]})
    assert await watcher.receive_json_from() == {"type": "presence", "online": []}

    other, connected, _ = await _connect(colleague)
    assert connected
    assert await watcher.receive_json_from(timeout=3) == {
        "type": "presence",
        "online": [colleague.pk],
        "offline": [],
    }
    await other.disconnect()
    assert await watcher.receive_json_from(timeout=3) == {
        "type": "presence",
        "online": [],
        "offline": [colleague.pk],
    }
    await watcher.disconnect()


async def test_bad_messages_get_an_error_frame_and_the_socket_survives(employee):
    communicator, connected, _ = await _connect(employee)
    assert connected
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from())["error"] == "invalid JSON"
    await communicator.send_to(text_data="x" * 5000)
    assert (await communicator.receive_json_from())["error"] == "message too large"
    await communicator.send_json_to({"type": "launch_missiles"})
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.send_json_to({"type": "watch", "users": ["1; DROP TABLE"]})
    assert (await communicator.receive_json_from())["type"] == "error"
    await communicator.send_json_to({"type": "watch", "users": list(range(1, 100))})
    assert (await communicator.receive_json_from())["type"] == "error"
    # Still connected and working.
    await communicator.send_json_to({"type": "watch", "users": [employee.pk]})
    assert await communicator.receive_json_from() == {"type": "presence", "online": [employee.pk]}
    await communicator.disconnect()


@needs_redis
async def test_a_group_message_reaches_the_client_through_redis(employee, colleague):
    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisPubSubChannelLayer"
    communicator, connected, _ = await _connect(employee)
    assert connected
    await communicator.send_json_to({"type": "watch", "users": [colleague.pk]})
    await communicator.receive_json_from()
    await layer.group_send(
        presence_group(colleague.pk),
        {"type": "presence.changed", "user": colleague.pk, "online": True},
    )
    assert await communicator.receive_json_from(timeout=3) == {
        "type": "presence",
        "online": [colleague.pk],
        "offline": [],
    }
    await communicator.disconnect()
