"""Request id, access log and request metrics for HTTP; the websocket gauge for the ASGI side."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from sentry_sdk import get_isolation_scope

from operations import requestid
from operations.instruments import LATENCY, REQUESTS, WEBSOCKETS

access_log = logging.getLogger("ruche.access")
# Any other method (a fuzzer sends "FOO") is counted as "other": labels stay bounded.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestIdMiddleware:
    """First in MIDDLEWARE: gives the request its id (X-Request-ID honoured or generated), puts
    it on the response, in every log record of the request and in Sentry's events; records the
    request count and latency by view name and writes one access-log line.

    The path is logged without its query string (search terms, `next=`); the view name, not
    the path, labels the metrics, so their number stays bounded.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._acall(request)
        started, token = self._begin(request)
        try:
            return self._end(request, self.get_response(request), started)
        finally:
            requestid.current.reset(token)

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        started, token = self._begin(request)
        try:
            return self._end(request, await self.get_response(request), started)
        finally:
            requestid.current.reset(token)

    def _begin(self, request: HttpRequest) -> tuple[float, Any]:
        request_id = requestid.accepted_or_new(request.headers.get(requestid.HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        get_isolation_scope().set_tag("request_id", request_id)
        return time.perf_counter(), requestid.current.set(request_id)

    def _end(
        self, request: HttpRequest, response: HttpResponseBase, started: float
    ) -> HttpResponseBase:
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else "<unresolved>"
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view=view, method=method, status=response.status_code).inc()
        LATENCY.labels(view=view).observe(elapsed)
        response[requestid.HEADER] = request.request_id  # type: ignore[attr-defined]
        access_log.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            elapsed * 1000,
            extra={
                "method": request.method,
                "path": request.path,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response


Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class WebsocketGauge:
    """ASGI middleware around the websocket router (ruche/asgi.py): counts every socket from
    its acceptance until its consumer ends, whichever consumer it is and however it ends, and
    gives the connection a request id for the consumer's log records."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        accepted = False

        async def counting_send(message: dict[str, Any]) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                WEBSOCKETS.inc()
            await send(message)

        headers = dict(scope.get("headers") or ())
        sent = headers.get(requestid.HEADER.lower().encode(), b"").decode("latin-1")
        token = requestid.current.set(requestid.accepted_or_new(sent))
        try:
            await self.app(scope, receive, counting_send)
        finally:
            if accepted:
                WEBSOCKETS.dec()
            requestid.current.reset(token)
