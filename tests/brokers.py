"""Tasks published to a real broker instead of run eagerly, for the tests of what a request
queues: a Redis database of the test instance, or a closed port (an outage)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ruche.celery import app

DEAD_BROKER = "redis://127.0.0.1:1/0"  # port 1: nothing listens, connections are refused


def _reconnect() -> None:
    # Celery keeps a connection pool and a producer pool made from the old URL: drop both,
    # as it does itself after a fork, so that the next publish connects to the new one.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def tasks_published_to(url: str) -> Iterator[None]:
    old = app.conf.broker_url
    app.conf.broker_url, app.conf.task_always_eager = url, False
    _reconnect()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = old, True
        _reconnect()
