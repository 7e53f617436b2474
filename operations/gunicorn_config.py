"""gunicorn's configuration in the production image (`--config python:operations.gunicorn_config`).

Prometheus multiprocess mode: every worker writes its metrics to files in one folder and a scrape
of any worker sums them. The folder is emptied when gunicorn starts (values of a previous run
would be counted again) and a worker's live gauges are dropped when it exits. The variable is
set here, in the master, so that the workers have it before they import prometheus-client.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from prometheus_client import multiprocess

METRICS_DIR = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/ruche-prometheus"))  # noqa: S108


def on_starting(server: Any) -> None:
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    METRICS_DIR.mkdir(parents=True)


def child_exit(server: Any, worker: Any) -> None:
    multiprocess.mark_process_dead(worker.pid)
