"""Admission of HTTP requests into Django, per web process: a few at a time, writes first.

Under ASGI Django runs each request's synchronous code in a thread of its own. With 50 requests
in flight in one process, 50 threads share one interpreter lock: every request, a comment being
posted included, takes about 50 times its own time, and the writes wait as long as the pages.
The gate runs at most RUCHE_REQUEST_SLOTS page loads (reads) at once and queues the others in
arrival order. Writes (any method but GET, HEAD and OPTIONS) and the health probe have a lane
of their own, RUCHE_WRITE_SLOTS at once: a comment being posted never waits behind queued
pages, and shares the interpreter with only a few requests (README "Serving under load").
While a write runs, the next page load waits before starting, for at most
RUCHE_WRITE_PRIORITY_MS: under load a write otherwise shares the interpreter lock with a page
for its whole length, which made it three times slower than alone; now it shares it only with
the page already running, if any. Pages are never held longer than that bound, so a stream of
writes delays them without starving them. A queued request costs nothing but its place in the
line; uvicorn's `limit_concurrency`
(operations.workers) still answers 503 beyond the process's bound, queues included.

Websockets do not pass through the gate: a socket lives for as long as its page, and the
`ws` service of docker-compose.yml serves them in processes of their own.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from typing import Any

from operations.middleware import ASGIApp, Receive, Scope, Send

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Served ahead of the queued reads: the probe says whether the process answers, not how long
# its queue is (a loaded but healthy process must not be restarted by its orchestrator).
AHEAD_PATHS = frozenset({"/healthz"})


def is_ahead(scope: Scope) -> bool:
    """Writes and the health probe: served in their own lane, never behind the reads."""
    return scope.get("method", "GET") not in READ_METHODS or scope.get("path") in AHEAD_PATHS


class Lane:
    """At most `slots` requests at once, the others waiting in arrival order."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("An admission lane needs at least one slot.")
        self.slots = slots
        self.running = 0
        self.waiting: collections.deque[asyncio.Future[None]] = collections.deque()

    @property
    def queued(self) -> int:
        return sum(1 for future in self.waiting if not future.done())

    async def enter(self) -> None:
        if self.running < self.slots and not self.queued:
            self.running += 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append(future)
        try:
            await future
        except asyncio.CancelledError:
            # The client went away while queued. If a slot had just been handed over to this
            # request, pass it on; otherwise its entry is skipped when it comes up.
            if future.done() and not future.cancelled():
                self.leave()
            future.cancel()
            raise

    def leave(self) -> None:
        # The slot goes straight to the next request in line (the running count does not
        # change), so a request arriving meanwhile cannot overtake the queue.
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_result(None)
                return
        self.running -= 1


class AdmissionGate:
    """ASGI middleware in front of Django's HTTP application (ruche/asgi.py): the reads'
    lane and the writes' lane, each bounded."""

    def __init__(
        self, app: ASGIApp, read_slots: int, write_slots: int, write_priority_ms: int = 0
    ) -> None:
        self.app = app
        self.reads = Lane(read_slots)
        self.writes = Lane(write_slots)
        self.write_priority = write_priority_ms / 1000
        # Set while no write runs: the reads' start waits on it (bounded by write_priority).
        self.no_write_running = asyncio.Event()
        self.no_write_running.set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if is_ahead(scope):
            await self._write(scope, receive, send)
        else:
            await self._read(scope, receive, send)

    async def _write(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.writes.enter()
        self.no_write_running.clear()
        try:
            await self.app(scope, receive, send)
        finally:
            self.writes.leave()
            if not self.writes.running:
                self.no_write_running.set()

    async def _read(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.reads.enter()
        try:
            if self.write_priority and not self.no_write_running.is_set():
                # Past the bound the page starts beside the write.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.no_write_running.wait(), self.write_priority)
            await self.app(scope, receive, send)
        finally:
            self.reads.leave()


def gated(app: ASGIApp, read_slots: int, write_slots: int, write_priority_ms: int = 0) -> Any:
    """Django's HTTP application behind the gate, or as it is when read_slots is 0 (no bound)."""
    if not read_slots:
        return app
    return AdmissionGate(app, read_slots, write_slots, write_priority_ms)
