"""One metrics computation at a time.

A day's snapshot reads the 30 days before it and cumulative figures (charter, membership), so
two computations over different ranges still meet: there is one lock for every range. The
nightly task, "Recompute now" and `compute_metrics` all take it through
`metrics.services.metrics_refresh`.

PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on the connection the
computation uses; the server releases it when the session ends, so a worker killed with
`kill -9` never leaves it behind. (A pooler in transaction mode would break session locks:
point the workers at PostgreSQL or at a session-mode pool.)
SQLite (`make run`): an exclusive `flock` on a file next to the database, which the kernel
releases when the process dies, for the same reason.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

# The advisory lock key: any constant, fixed once ("ruche metrics" folded into 63 bits).
LOCK_KEY = int.from_bytes(hashlib.sha256(b"ruche.metrics.refresh").digest()[:8], "big") >> 1
POLL_SECONDS = 0.5


class ComputationBusy(Exception):
    """Another metrics computation holds the lock (and the caller chose not to wait)."""


def _postgres_try() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _postgres_release() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def lock_file_path() -> Path:
    name = str(connection.settings_dict.get("NAME") or "")
    if name and name != ":memory:" and not name.startswith("file:"):
        return Path(f"{name}.metrics-lock")
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"ruche-metrics-{digest}.lock"


@contextmanager
def computation_lock(
    *, wait: bool = True, timeout: float | None = None, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the metrics lock for the block. Busy: with `wait`, poll until it is free (calling
    `on_wait` once, to say so) or `timeout` seconds passed; without, raise ComputationBusy."""
    if connection.vendor == "postgresql":
        try_lock, release = _postgres_try, _postgres_release
        handle = None
    else:
        import fcntl

        handle = lock_file_path().open("a+")

        def try_lock() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        def release() -> None:
            fcntl.flock(handle, fcntl.LOCK_UN)

    try:
        started = time.monotonic()
        told = False
        while not try_lock():
            if not wait or (timeout is not None and time.monotonic() - started >= timeout):
                raise ComputationBusy
            if not told and on_wait is not None:
                on_wait()
                told = True
            time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            release()
    finally:
        if handle is not None:
            handle.close()
