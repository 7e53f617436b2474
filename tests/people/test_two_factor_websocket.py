"""The two-factor rule holds for websockets too: a password session that has not given its
code, or an administrator who has not set up 2FA, cannot follow a live page (4401); once the
code is given, or with a single sign-on session, the socket opens."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from ruche.asgi import application
from tests.people.test_two_factor import VERIFY, code_of, enrol, password_login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.two_factor]

PATH = "/ws/notifications/"


async def _socket(client: Client) -> tuple[bool, int | None]:
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    communicator = WebsocketCommunicator(
        application, PATH, headers=[(b"origin", b"http://testserver"), (b"cookie", cookie.encode())]
    )
    connected, code = await communicator.connect()
    if connected:
        await communicator.disconnect()
    return connected, code


async def test_no_socket_before_the_code_then_one_after(employee):
    client = Client()
    device, _codes = await sync_to_async(enrol)(employee)
    await sync_to_async(password_login)(client, employee)
    assert await _socket(client) == (False, 4401)
    answer = await sync_to_async(client.post)(VERIFY, {"code": code_of(device, 1), "next": "/"})
    assert answer.status_code == 302
    connected, _code = await _socket(client)
    assert connected


async def test_an_administrator_without_2fa_gets_no_socket(administrator):
    client = Client()
    await sync_to_async(password_login)(client, administrator)
    assert await _socket(client) == (False, 4401)


async def test_an_employee_without_2fa_and_a_single_sign_on_session_pass(
    employee, administrator, settings
):
    client = Client()
    await sync_to_async(password_login)(client, employee)
    assert (await _socket(client))[0]
    settings.AUTHENTICATION_BACKENDS = [
        "people.oidc.OidcBackend",
        *settings.AUTHENTICATION_BACKENDS,
    ]
    sso = Client()
    await sync_to_async(sso.force_login)(administrator, backend="people.oidc.OidcBackend")
    assert (await _socket(sso))[0]
