"""The admission gate (operations.admission): a bounded number of page loads at once per
process, the others queued in order, and writes and the health probe in a lane of their own.

The application behind the gate here is a recorder whose requests finish only when the test
releases them, so the order of admission is observed, not timed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from operations.admission import AdmissionGate, Lane, gated


class Recorder:
    """An ASGI app that notes each request as it starts and holds it until released."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.running = 0
        self.most_running = 0
        self.release: dict[str, asyncio.Event] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        name = scope["name"]
        self.started.append(name)
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            await self.release.setdefault(name, asyncio.Event()).wait()
        finally:
            self.running -= 1

    def finish(self, name: str) -> None:
        self.release.setdefault(name, asyncio.Event()).set()


def http(name: str, method: str = "GET", path: str = "/") -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "name": name}


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def start(gate: AdmissionGate, scope: dict[str, Any]) -> asyncio.Task[None]:
    task = asyncio.create_task(gate(scope, None, None))
    await settle()
    return task


async def test_no_more_reads_run_than_slots_and_the_rest_wait_in_order() -> None:
    app = Recorder()
    gate = AdmissionGate(app, read_slots=2, write_slots=1)
    tasks = [await start(gate, http(f"read-{i}")) for i in range(5)]
    assert app.started == ["read-0", "read-1"]
    assert gate.reads.queued == 3

    app.finish("read-0")
    await settle()
    assert app.started == ["read-0", "read-1", "read-2"]
    for name in ("read-1", "read-2", "read-3", "read-4"):
        app.finish(name)
    await asyncio.gather(*tasks)
    assert app.started == [f"read-{i}" for i in range(5)]
    assert app.most_running == 2
    assert (gate.reads.running, gate.reads.queued) == (0, 0)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_a_write_runs_at_once_while_reads_are_queued(method: str) -> None:
    app = Recorder()
    gate = AdmissionGate(app, read_slots=1, write_slots=1)
    tasks = [await start(gate, http("running"))]
    tasks += [await start(gate, http(f"read-{i}")) for i in range(3)]
    tasks.append(await start(gate, http("write", method=method)))
    assert app.started == ["running", "write"]
    for name in ("running", "write", "read-0", "read-1", "read-2"):
        app.finish(name)
    await asyncio.gather(*tasks)
    assert app.started == ["running", "write", "read-0", "read-1", "read-2"]


async def test_writes_are_bounded_in_their_own_lane_with_the_health_probe() -> None:
    app = Recorder()
    gate = AdmissionGate(app, read_slots=1, write_slots=1)
    tasks = [await start(gate, http("write-1", method="POST"))]
    tasks.append(await start(gate, http("probe", path="/healthz")))
    tasks.append(await start(gate, http("write-2", method="POST")))
    tasks.append(await start(gate, http("read")))
    assert app.started == ["write-1", "read"]
    assert gate.writes.queued == 2
    for name in ("write-1", "probe", "write-2", "read"):
        app.finish(name)
        await settle()
    await asyncio.gather(*tasks)
    assert app.started == ["write-1", "read", "probe", "write-2"]
    assert app.most_running == 2


async def test_a_request_abandoned_while_queued_never_takes_a_slot() -> None:
    app = Recorder()
    gate = AdmissionGate(app, read_slots=1, write_slots=1)
    running = await start(gate, http("running"))
    gone = await start(gate, http("gone"))
    after = await start(gate, http("after"))

    gone.cancel()
    await settle()
    app.finish("running")
    app.finish("after")
    await asyncio.gather(running, after)
    assert gone.cancelled()
    assert app.started == ["running", "after"]
    assert (gate.reads.running, gate.reads.queued) == (0, 0)


async def test_a_slot_handed_to_a_request_cancelled_at_that_moment_is_passed_on() -> None:
    lane = Lane(slots=1)
    await lane.enter()
    unlucky = asyncio.create_task(lane.enter())
    after = asyncio.create_task(lane.enter())
    await settle()

    # In one step: the slot is handed to the first in line, who is cancelled before resuming.
    lane.leave()
    unlucky.cancel()
    await settle()
    assert unlucky.cancelled()
    assert after.done() and not after.cancelled()
    assert (lane.running, lane.queued) == (1, 0)
    lane.leave()
    assert lane.running == 0


async def test_an_error_in_the_application_gives_its_slot_back() -> None:
    async def failing(scope: dict[str, Any], receive: Any, send: Any) -> None:
        raise RuntimeError("boom")

    gate = AdmissionGate(failing, read_slots=1, write_slots=1)
    for method in ("GET", "POST", "GET"):
        with pytest.raises(RuntimeError):
            await gate(http("any", method=method), None, None)
    assert (gate.reads.running, gate.writes.running) == (0, 0)


async def test_websockets_and_lifespan_are_not_gated() -> None:
    app = Recorder()
    gate = AdmissionGate(app, read_slots=1, write_slots=1)
    held = await start(gate, http("held"))
    socket = await start(gate, {"type": "websocket", "path": "/ws/", "name": "socket"})
    assert app.started == ["held", "socket"]
    assert gate.reads.running == 1
    app.finish("held")
    app.finish("socket")
    await asyncio.gather(held, socket)


def test_no_read_slot_means_no_gate_and_an_empty_lane_is_refused() -> None:
    app = Recorder()
    assert gated(app, 0, 2) is app
    assert isinstance(gated(app, 3, 1), AdmissionGate)
    with pytest.raises(ValueError):
        AdmissionGate(app, read_slots=2, write_slots=0)


def test_the_project_serves_http_through_the_gate_with_the_configured_slots(settings) -> None:
    from ruche.asgi import application

    http_app = application.application_mapping["http"]
    assert isinstance(http_app, AdmissionGate)
    assert http_app.reads.slots == settings.RUCHE_REQUEST_SLOTS
    assert http_app.writes.slots == settings.RUCHE_WRITE_SLOTS
    assert http_app.write_priority == settings.RUCHE_WRITE_PRIORITY_MS / 1000


async def test_a_page_waits_for_the_write_running_before_it_starts() -> None:
    app = Recorder()
    gate = AdmissionGate(app, read_slots=1, write_slots=2, write_priority_ms=60_000)
    running = await start(gate, http("page-running"))
    write = await start(gate, http("write", method="POST"))
    # A page already running goes on; the next one waits for the write, not for its slot only.
    app.finish("page-running")
    await running
    waiting = await start(gate, http("page-next"))
    assert app.started == ["page-running", "write"]
    second_write = await start(gate, http("write-2", method="POST"))
    app.finish("write")
    await write
    assert app.started == ["page-running", "write", "write-2"]  # a write still runs
    app.finish("write-2")
    await second_write
    await settle()
    assert app.started[-1] == "page-next"
    app.finish("page-next")
    await waiting


async def test_a_page_waits_for_writes_at_most_the_bound() -> None:
    app = Recorder()
    gate = AdmissionGate(app, read_slots=1, write_slots=1, write_priority_ms=20)
    write = await start(gate, http("write", method="POST"))
    page = await start(gate, http("page"))
    assert app.started == ["write"]
    for _ in range(200):  # the bound is 20 ms; give it up to 2 s on a loaded machine
        if "page" in app.started:
            break
        await asyncio.sleep(0.01)
    assert app.started == ["write", "page"]  # the write is still running
    for name in ("page", "write"):
        app.finish(name)
    await asyncio.gather(page, write)
    assert gate.no_write_running.is_set()


async def test_without_priority_a_page_starts_beside_a_write() -> None:
    app = Recorder()
    gate = AdmissionGate(app, read_slots=1, write_slots=1, write_priority_ms=0)
    write = await start(gate, http("write", method="POST"))
    page = await start(gate, http("page"))
    assert app.started == ["write", "page"]
    for name in ("page", "write"):
        app.finish(name)
    await asyncio.gather(page, write)


async def test_a_failed_write_lets_the_pages_go() -> None:
    class Failing(Recorder):
        async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["method"] == "POST":
                raise RuntimeError("the write failed")
            await super().__call__(scope, receive, send)

    app = Failing()
    gate = AdmissionGate(app, read_slots=1, write_slots=1, write_priority_ms=60_000)
    with pytest.raises(RuntimeError):
        await gate(http("write", method="POST"), None, None)
    page = await start(gate, http("page"))
    assert app.started == ["page"]
    app.finish("page")
    await page
