"""How the websocket side is served: frames uncompressed, group messages dispatched without a
thread hop per socket, and the URLconf imported when the process starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

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
