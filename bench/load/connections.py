"""Database connections under load: N concurrent clients for D seconds against Ruche in its
production shape, counting errors and the most PostgreSQL connections the servers held.

    .venv/bin/python bench/load/connections.py --clients 200 --seconds 60 --workers 2

It creates its own database (`ruche_bench_connections`, dropped and migrated at the start),
collects the static files, signs in one employee through a real session, and starts gunicorn
with uvicorn workers on `ruche.settings.production`, Redis included (REDIS_URL, default
redis://127.0.0.1:6379/9). Each client keeps one HTTP connection and requests, in turn, the
health check, the home page and the people directory as that employee. Every answer other
than 200, and every broken connection, is an error. A sampler reads `pg_stat_activity` every
0.2 s: the connections of the bench database never exceed the budget (workers x
DATABASE_POOL_MAX_SIZE) whatever the number of clients.

`--pool 0` runs the same without the pool (a connection per request), `--pool 0
--conn-max-age 60` the configuration shipped before the pool (persistent connections), to
compare in one run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

from loadserver import (
    PLAIN_WORKER,
    prepare,
    production_env,
    recreate_database,
    sign_in,
    start_server,
    stop_server,
)

DB = "ruche_bench_connections"
PAGES = ["/healthz", "/", "/people/"]


def _env(args: argparse.Namespace, static_root: str) -> dict[str, str]:
    return production_env(
        database=DB,
        redis=args.redis,
        static_root=static_root,
        extra={
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_POOL_MAX_SIZE": str(args.pool),
            "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
        },
    )


def _prepare(env: dict[str, str]) -> str:
    recreate_database(DB)
    prepare(env)
    return sign_in(env)


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.latencies: list[float] = []

    def add(self, status: str, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)


def _client(port: int, cookie: str, until: float, results: Results, offset: int) -> None:
    headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    turn = offset
    while time.monotonic() < until:
        path = PAGES[turn % len(PAGES)]
        turn += 1
        started = time.monotonic()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            results.add(str(response.status), time.monotonic() - started)
        except (OSError, http.client.HTTPException) as error:
            results.add(type(error).__name__, time.monotonic() - started)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def _sample_connections(until: float, peaks: list[int]) -> None:
    query = f"select count(*) from pg_stat_activity where datname = '{DB}'"
    while time.monotonic() < until:
        done = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", query],
            capture_output=True,
            check=False,
        )
        if done.returncode == 0:
            peaks.append(int(done.stdout.strip() or 0))
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool", type=int, default=8, help="DATABASE_POOL_MAX_SIZE (0: none)")
    parser.add_argument("--conn-max-age", type=int, default=0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ruche-bench-static-") as static_root:
        env = _env(args, static_root)
        cookie = _prepare(env)
        server = start_server(env, port=args.port, workers=args.workers, worker_class=PLAIN_WORKER)
        try:
            load_before = os.getloadavg()[0]
            results, peaks = Results(), []
            until = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=_client, args=(args.port, cookie, until, results, i))
                for i in range(args.clients)
            ]
            threads.append(threading.Thread(target=_sample_connections, args=(until, peaks)))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            load_after = os.getloadavg()[0]
        finally:
            stop_server(server)

    total = sum(results.statuses.values())
    errors = total - results.statuses["200"]
    latencies = sorted(results.latencies)
    budget = args.workers * args.pool if args.pool else None
    print(f"clients {args.clients}, {args.seconds:.0f} s, {args.workers} workers, pool {args.pool}")
    print(f"load average {load_before:.1f} before, {load_after:.1f} after")
    print(f"requests {total}, {total / args.seconds:.1f} req/s, errors {errors}")
    print("answers " + ", ".join(f"{k}: {v}" for k, v in results.statuses.most_common()))
    if latencies:
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"PostgreSQL connections of the servers: at most {max(peaks, default=0)}", end="")
    print(f" (budget {budget})" if budget else " (no pool: no budget)")
    sys.exit(1 if errors or (budget and max(peaks, default=0) > budget) else 0)


if __name__ == "__main__":
    main()
