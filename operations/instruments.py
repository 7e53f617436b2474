"""The Prometheus metrics Ruche exposes at `/metrics` (operations.views.metrics).

Under gunicorn every worker is a process of its own: with `PROMETHEUS_MULTIPROC_DIR` set (the
production image sets it through `operations/gunicorn_config.py`), each process writes its
values to files in that folder and a scrape sums them (prometheus-client's multiprocess mode),
whichever worker answers. Without it (`make run`, tests) the values live in the process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from celery import current_app
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "ruche_http_requests",
    "HTTP requests answered, by view name, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "ruche_http_request_duration_seconds",
    "Time to answer an HTTP request, by view name.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
WEBSOCKETS = Gauge(
    "ruche_websocket_connections",
    "Websocket connections open now (accepted and not yet closed).",
    multiprocess_mode="livesum",
)

BROKER_TIMEOUT_SECONDS = 2


class CeleryQueueCollector(Collector):
    """Messages waiting in each Celery queue, asked of the broker at scrape time (kombu's
    queue declaration: LLEN on Redis, a file count on the filesystem transport)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        lengths = GaugeMetricFamily(
            "ruche_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        up = GaugeMetricFamily("ruche_celery_broker_up", "1 when the broker answered the scrape.")
        names = {current_app.conf.task_default_queue} | {
            queue.name for queue in (current_app.conf.task_queues or ())
        }
        try:
            with current_app.connection_for_read() as connection:
                connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
                channel: Any = connection.default_channel  # kombu's channels are untyped
                for name in sorted(names):
                    # Not passive: on Redis an empty queue has no key, and a passive
                    # declaration would call it missing. Declaring is what workers do anyway.
                    declared = channel.queue_declare(queue=name, durable=True, auto_delete=False)
                    lengths.add_metric([name], declared.message_count)
        except Exception:  # an unreachable broker is a fact to report, not a failed scrape
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
        yield lengths
        yield up


def exposition() -> bytes:
    """The text a Prometheus scrape receives."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(CeleryQueueCollector())
    return generate_latest(registry)


class _ProcessRegistry(Collector):
    """The default registry (this process's metrics) seen as one collector, so the queue
    collector is added to the scrape without being registered globally."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()
