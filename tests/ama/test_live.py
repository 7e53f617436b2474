"""A live session page through the real ASGI application on the configured channel layer
(Redis when REDIS_URL is set): questions, votes and answers reach every viewer after commit,
numbered; a sync returns the whole board; outsiders are refused; no frame names an anonymous
author."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from ama import services
from ama.models import Audience
from governance.services import content_hide
from ruche.asgi import application
from tests.ama.conftest import open_session
from tests.conftest import needs_redis

pytestmark = [pytest.mark.django_db(transaction=True), needs_redis]


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}".encode()


async def _connect(session, user):
    headers = [(b"origin", b"http://testserver")]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_cookie)(user)))
    communicator = WebsocketCommunicator(application, f"/ws/ama/{session.pk}/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def _open(session, user):
    communicator, connected, code = await _connect(session, user)
    assert connected, code
    hello = await communicator.receive_json_from(timeout=3)
    assert hello["type"] == "hello"
    return communicator, hello["seq"]


async def test_outsiders_and_anonymous_visitors_are_refused(executive, sales, finance):
    from tests.factories import UserFactory

    session = await sync_to_async(open_session)(
        executive, audience=Audience.DEPARTMENTS, departments=[sales]
    )
    outsider = await sync_to_async(UserFactory)(username="dehors", department=finance)
    _, connected, code = await _connect(session, None)
    assert not connected and code == 4401
    _, connected, code = await _connect(session, outsider)
    assert not connected and code == 4403


async def test_ask_upvote_answer_reach_every_viewer_in_order(executive, employee, colleague):
    session = await sync_to_async(open_session)(executive)
    host_socket, seq = await _open(session, executive)
    viewer_socket, _ = await _open(session, colleague)

    question = await sync_to_async(services.question_ask)(
        author=employee, session=session, text="Quid du 13e mois ?", anonymous=True
    )
    frames = []
    for socket in (host_socket, viewer_socket):
        frame = await socket.receive_json_from(timeout=3)
        assert frame["type"] == "question.created"
        assert frame["question"]["text"] == "Quid du 13e mois ?"
        assert frame["question"]["author"] is None  # anonymous to the audience and the host
        raw = json.dumps(frame)
        assert employee.name not in raw and employee.username not in raw
        frames.append(frame)
    assert frames[0]["seq"] == seq + 1

    await sync_to_async(services.question_upvote)(voter=colleague, question=question)
    frame = await viewer_socket.receive_json_from(timeout=3)
    assert frame["type"] == "question.changed" and frame["question"]["votes"] == 1
    assert frame["seq"] == seq + 2
    await host_socket.receive_json_from(timeout=3)

    await sync_to_async(services.question_answer)(
        host=executive, question=question, text="Il est maintenu."
    )
    frame = await viewer_socket.receive_json_from(timeout=3)
    assert frame["question"]["answer"]["text"] == "Il est maintenu."
    assert frame["seq"] == seq + 3

    # A page that missed frames asks for the whole board.
    await viewer_socket.send_json_to({"type": "sync"})
    sync = await viewer_socket.receive_json_from(timeout=3)
    assert sync["type"] == "sync" and sync["seq"] == seq + 3
    assert [q["id"] for q in sync["questions"]] == [question.pk]
    assert employee.name not in json.dumps(sync)
    await host_socket.disconnect()
    await viewer_socket.disconnect()


async def test_hidden_question_travels_as_its_id_only(executive, employee, administrator):
    session = await sync_to_async(open_session)(executive)
    question = await sync_to_async(services.question_ask)(
        author=employee, session=session, text="Texte à cacher"
    )
    socket, _ = await _open(session, executive)
    await sync_to_async(content_hide)(actor=administrator, obj=question, reason="Hors charte")
    frame = await socket.receive_json_from(timeout=3)
    assert frame["question"] == {"id": question.pk, "hidden": True}
    await socket.send_json_to({"type": "sync"})
    sync = await socket.receive_json_from(timeout=3)
    assert "Texte à cacher" not in json.dumps(sync)
    await socket.send_json_to({"type": "nonsense"})
    assert (await socket.receive_json_from(timeout=3))["type"] == "error"
    await socket.disconnect()
