"""How the websocket side is served: frames uncompressed, group messages dispatched without a
thread hop per socket, the URLconf imported when the process starts, and a page that goes away
mid-send cleaned up like any other."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from websockets.sync.client import connect as ws_connect

from core.consumers import RucheConsumer
from operations.workers import BoundedUvicornWorker

ROOT = Path(__file__).resolve().parents[2]


def test_the_production_worker_sends_frames_without_per_message_compression() -> None:
    assert BoundedUvicornWorker.CONFIG_KWARGS["ws_per_message_deflate"] is False
    assert BoundedUvicornWorker.CONFIG_KWARGS["limit_concurrency"] >= 1


class Echo(RucheConsumer):
    async def on_connected(self) -> None:
        await self.channel_layer.group_add("echo", self.channel_name)
        self.groups.append("echo")
        await self.send_json({"type": "ready"})  # the group is joined from here on

    async def echo_event(self, event):
        await self.send_json({"type": "echo", "n": event["n"]})


@pytest.mark.django_db(transaction=True)
async def test_group_messages_reach_the_handler_without_closing_connections_first(
    monkeypatch, employee
) -> None:
    import channels.consumer

    hops = []

    async def counted() -> None:
        hops.append(1)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counted)
    communicator = WebsocketCommunicator(Echo.as_asgi(), "/ws/echo/")
    communicator.scope["user"] = employee
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from(timeout=5) == {"type": "ready"}
    layer = get_channel_layer()
    for n in range(3):
        await layer.group_send("echo", {"type": "echo.event", "n": n})
        assert await communicator.receive_json_from(timeout=5) == {"type": "echo", "n": n}
    await communicator.disconnect()
    assert hops == []


class Fragile(RucheConsumer):
    cleaned: list[int] = []

    async def handle_boom(self, content) -> None:
        raise RuntimeError("boom")

    async def disconnect(self, code: int) -> None:
        Fragile.cleaned.append(code)


@pytest.mark.django_db(transaction=True)
async def test_a_handler_that_fails_runs_the_disconnect_handler_before_the_error_ends_it(
    employee,
) -> None:
    Fragile.cleaned.clear()
    communicator = WebsocketCommunicator(Fragile.as_asgi(), "/ws/fragile/")
    communicator.scope["user"] = employee
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "boom"})
    with pytest.raises(RuntimeError, match="boom"):
        await communicator.receive_output(timeout=5)
    assert Fragile.cleaned == [1011]


async def test_a_message_without_a_handler_is_refused() -> None:
    consumer = Echo()
    with pytest.raises(ValueError, match="No handler"):
        await consumer.dispatch({"type": "nobody.here"})


def test_starting_the_asgi_application_imports_every_view_module() -> None:
    """Otherwise the first reverse() of each process imports them, seconds during which its
    sockets wait (docs/benchmarks.md, live fan-out)."""
    code = (
        "import sys, ruche.asgi; "
        "print(all(m in sys.modules for m in ('provisioning.views', 'blogs.views')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**__import__("os").environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "True"


class LateSender(RucheConsumer):
    """Answers a `later` message after the page may have gone; records its disconnect."""

    disconnected = threading.Event()

    async def handle_later(self, content) -> None:
        await asyncio.sleep(0.3)
        await self.send_json({"type": "late"})

    async def disconnect(self, code: int) -> None:
        LateSender.disconnected.set()


def _with_signed_in_person(app):
    async def wrapped(scope, receive, send):
        person = SimpleNamespace(pk=1, is_authenticated=True, is_active=True)
        await app({**scope, "user": person}, receive, send)

    return wrapped


def test_a_page_closed_while_a_frame_is_sent_to_it_still_runs_the_disconnect_handler() -> None:
    """The race of the author's page leaving after the POST of a reply while the reply's frame
    is sent to it (seen as a viewer counted for ever): uvicorn, as in production, raises
    ClientDisconnected from that send; the consumer must still run its disconnect handler."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            _with_signed_in_person(LateSender.as_asgi()),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        LateSender.disconnected.clear()
        with ws_connect(f"ws://127.0.0.1:{port}/ws/late/") as client:
            client.send(json.dumps({"type": "later"}))
        # The client has closed; the consumer's send comes 0.3 s later and fails.
        assert LateSender.disconnected.wait(timeout=5)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
