"""The request id: one id per HTTP request (or websocket connection), in every log record
written while it is handled, on the response (`X-Request-ID`) and in the Celery tasks it queues.

A proxy that already sets `X-Request-ID` is honoured (when the value is a sane token), so the
proxy's access log, Ruche's logs and Sentry's events of one request share one id.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
CELERY_HEADER = "ruche_request_id"
# What a proxy may send: letters, digits and a few separators, at most 128 characters. Anything
# else (a header injected with newlines or a 1 MB value) is replaced by a fresh id.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")

current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def accepted_or_new(value: str | None) -> str:
    """The id a client or proxy sent if it is acceptable, a new random one otherwise."""
    if value and _ACCEPTED.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record (handlers format it; "-" outside a request).

    Django logs a 4xx/5xx response (`django.request`) after the middleware chain has returned:
    such records carry the request, whose id the middleware kept on it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current.get()
        if request_id is None:
            request_id = getattr(getattr(record, "request", None), "request_id", None)
        record.request_id = request_id or "-"
        return True


@before_task_publish.connect
def _task_carries_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = current.get()
    if request_id is not None and headers is not None:
        headers.setdefault(CELERY_HEADER, request_id)


_task_tokens: dict[str, contextvars.Token[str | None]] = {}


@task_prerun.connect
def _task_takes_request_id(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    request = getattr(task, "request", None)
    request_id = getattr(request, CELERY_HEADER, None) or (
        (getattr(request, "headers", None) or {}).get(CELERY_HEADER)
    )
    # An eager task runs inside the request: its id is already the current one.
    if request_id and task_id and current.get() is None:
        _task_tokens[task_id] = current.set(str(request_id))


@task_postrun.connect
def _task_forgets_request_id(task_id: str | None = None, **_: Any) -> None:
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        current.reset(token)
