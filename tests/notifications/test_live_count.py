"""The live unread count over a real websocket (ASGI application, real Redis channel layer)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from notifications.groups import user_group
from notifications.models import Kind, Notification
from notifications.selectors import unread_cache_key
from notifications.services import notifications_mark_read, notify
from ruche.asgi import application
from tests.conftest import needs_redis

pytestmark = [pytest.mark.django_db(transaction=True), needs_redis]

PATH = "/ws/notifications/"


@pytest.fixture(autouse=True)
async def _close_worker_connections():
    """Close the database connections the consumers opened in asgiref's worker thread, so the
    test database can be dropped at the end of the run."""
    yield
    from django.db import connections

    await sync_to_async(connections.close_all)()


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()


async def _connect(user=None, origin: bytes = b"http://testserver"):
    headers = [(b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_session_cookie)(user)))
    communicator = WebsocketCommunicator(application, PATH, headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


def _notify_in_a_transaction(recipient, actor, target, kind=Kind.MENTION) -> None:
    with transaction.atomic():
        notify(recipients=[recipient], kind=kind, actor=actor, target=target, url="/", summary="Hi")


async def test_anonymous_and_foreign_origin_sockets_are_refused(employee):
    _, connected, code = await _connect(None)
    assert not connected and code == 4401
    _, connected, _ = await _connect(employee, origin=b"https://evil.example")
    assert not connected


async def test_the_count_arrives_on_connect_and_after_each_commit(employee, colleague, target):
    socket, connected, _ = await _connect(employee)
    assert connected
    assert await socket.receive_json_from(timeout=3) == {"type": "unread", "count": 0}

    await sync_to_async(_notify_in_a_transaction)(employee, colleague, target)
    assert await socket.receive_json_from(timeout=3) == {"type": "unread", "count": 1}
    await sync_to_async(_notify_in_a_transaction)(employee, colleague, target, Kind.ANNOUNCEMENT)
    assert await socket.receive_json_from(timeout=3) == {"type": "unread", "count": 2}

    await sync_to_async(notifications_mark_read)(actor=employee, everything=True)
    assert await socket.receive_json_from(timeout=3) == {"type": "unread", "count": 0}
    await socket.disconnect()


async def test_nothing_is_pushed_before_commit_nor_after_a_rollback(employee, colleague, target):
    socket, connected, _ = await _connect(employee)
    assert connected
    await socket.receive_json_from(timeout=3)

    def rolled_back() -> None:
        try:
            with transaction.atomic():
                notify(
                    recipients=[employee],
                    kind=Kind.MENTION,
                    actor=colleague,
                    target=target,
                    url="/",
                    summary="",
                )
                raise RuntimeError("the caller's write failed")
        except RuntimeError:
            pass

    await sync_to_async(rolled_back)()
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_only_the_recipient_hears_their_count(employee, colleague, executive, target):
    mine, connected, _ = await _connect(employee)
    assert connected
    theirs, connected, _ = await _connect(executive)
    assert connected
    await mine.receive_json_from(timeout=3)
    await theirs.receive_json_from(timeout=3)
    await sync_to_async(_notify_in_a_transaction)(employee, colleague, target)
    assert await mine.receive_json_from(timeout=3) == {"type": "unread", "count": 1}
    assert await theirs.receive_nothing(timeout=0.5)
    await mine.disconnect()
    await theirs.disconnect()


async def test_resync_on_request_and_foreign_events_in_the_personal_group_are_ignored(
    employee, colleague, target
):
    socket, connected, _ = await _connect(employee)
    assert connected
    await socket.receive_json_from(timeout=3)
    # Another app (communities) talks to the same personal group with its own message types.
    await get_channel_layer().group_send(
        user_group(employee.pk), {"type": "communities.leave", "community": 3}
    )
    assert await socket.receive_nothing(timeout=0.5)
    await sync_to_async(Notification.objects.create)(
        recipient=employee, kind=Kind.MENTION, url="/", summary="", group_key="x"
    )
    # A page that reconnects, or asks, gets the count as it is now (here, past the cache).
    await sync_to_async(cache.delete)(unread_cache_key(employee.pk))
    await socket.send_json_to({"type": "sync"})
    assert await socket.receive_json_from(timeout=3) == {"type": "unread", "count": 1}
    # Bad messages get an error frame and the socket survives.
    await socket.send_to(text_data="not json")
    assert (await socket.receive_json_from())["type"] == "error"
    await socket.send_json_to({"type": "launch"})
    assert (await socket.receive_json_from())["type"] == "error"
    await sync_to_async(_notify_in_a_transaction)(employee, colleague, target)
    assert await socket.receive_json_from(timeout=3) == {"type": "unread", "count": 2}
    await socket.disconnect()


async def test_an_announcement_to_many_reaches_every_socket(colleague, target):
    from tests.factories import UserFactory

    people = await sync_to_async(lambda: [UserFactory() for _ in range(120)])()
    watched = people[::30]
    sockets = []
    for person in watched:
        socket, connected, _ = await _connect(person)
        assert connected
        assert await socket.receive_json_from(timeout=3) == {"type": "unread", "count": 0}
        sockets.append(socket)

    def announce() -> None:
        with transaction.atomic():
            notify(
                recipients=people,
                kind=Kind.ANNOUNCEMENT,
                actor=colleague,
                target=target,
                url="/",
                summary="",
            )

    await sync_to_async(announce)()
    for socket in sockets:
        assert await socket.receive_json_from(timeout=5) == {"type": "unread", "count": 1}
        await socket.disconnect()
    assert await sync_to_async(Notification.objects.count)() == 120
