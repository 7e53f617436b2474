"""Admission of HTTP requests into Django, per web process: a few at a time, writes first.

Under ASGI Django runs each request's synchronous code in a thread of its own. With 50 requests
in flight in one process, 50 threads share one interpreter lock: every request, a comment being
posted included, takes about 50 times its own time, and the writes wait as long as the pages.
The gate runs at most `slots` requests at once (RUCHE_REQUEST_SLOTS, README "Serving under
load") and queues the others in arrival order, except that a write (any method but GET, HEAD
and OPTIONS) and the health probe take the next free slot before every queued read. A queued
request costs nothing but its place in the queue; uvicorn's `limit_concurrency`
(operations.workers) still answers 503 beyond the process's bound, queue included.

Websockets do not pass through the gate: a socket lives for as long as its page, and the
`ws` service of docker-compose.yml serves them in processes of their own.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from typing import Any

from operations.middleware import ASGIApp, Receive, Scope, Send

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Served ahead of the queued reads: the probe says whether the process answers, not how long
# its queue is (a loaded but healthy process must not be restarted by its orchestrator).
AHEAD_PATHS = frozenset({"/healthz"})

FIRST = 0  # writes and the health probe
AFTER = 1  # reads


def priority(scope: Scope) -> int:
    if scope.get("method", "GET") not in READ_METHODS or scope.get("path") in AHEAD_PATHS:
        return FIRST
    return AFTER


class AdmissionGate:
    """ASGI middleware in front of Django's HTTP application (ruche/asgi.py)."""

    def __init__(self, app: ASGIApp, slots: int) -> None:
        if slots < 1:
            raise ValueError("AdmissionGate needs at least one slot.")
        self.app = app
        self.slots = slots
        self.running = 0
        # (priority, arrival number, future): a heap, so the next request admitted is the
        # first write that arrived, else the first read.
        self.waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self._enter(priority(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            self._leave()

    @property
    def queued(self) -> int:
        return sum(1 for _, _, future in self.waiting if not future.done())

    async def _enter(self, rank: int) -> None:
        if self.running < self.slots and not self.queued:
            self.running += 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self.waiting, (rank, next(self._arrivals), future))
        try:
            await future
        except asyncio.CancelledError:
            # The client went away while queued. If a slot had just been handed over to this
            # request, pass it on; otherwise its entry is skipped when it comes up.
            if future.done() and not future.cancelled():
                self._leave()
            future.cancel()
            raise

    def _leave(self) -> None:
        # The slot goes straight to the next request in line (the running count does not
        # change), so a request arriving meanwhile cannot overtake the queue.
        while self.waiting:
            _, _, future = heapq.heappop(self.waiting)
            if not future.done():
                future.set_result(None)
                return
        self.running -= 1


def gated(app: ASGIApp, slots: int) -> Any:
    """Django's HTTP application behind the gate, or as it is when slots is 0 (no bound)."""
    return AdmissionGate(app, slots) if slots else app
