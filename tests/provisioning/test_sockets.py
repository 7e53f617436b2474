"""Deactivating an account closes its open websockets at once, through the real ASGI
application and the Redis channel layer."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from core.consumers import CLOSE_UNAUTHENTICATED
from people.services import person_active_set
from ruche.asgi import application
from tests.conftest import needs_redis

pytestmark = [pytest.mark.django_db(transaction=True), needs_redis]


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


async def _open(user):
    headers = [(b"origin", b"http://testserver"), (b"cookie", await sync_to_async(_cookie)(user))]
    communicator = WebsocketCommunicator(application, "/ws/presence/", headers=headers)
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def test_a_deactivation_closes_the_persons_sockets_and_no_one_elses(employee, colleague):
    theirs = await _open(employee)
    other = await _open(colleague)
    # Outside a transaction, the on-commit close is sent at once.
    await sync_to_async(person_active_set)(person=employee, active=False)
    closed = await theirs.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}
    assert await other.receive_nothing(timeout=0.5)
    await other.disconnect()
