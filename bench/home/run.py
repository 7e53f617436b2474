"""Server time and SQL queries of the home page (the feed), on the demo data.

Usage (see docs/benchmarks.md, "Home feed"):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruche_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/home/run.py [--repeat 20] [--extra 200]

Seeds the demo organisation if the database is empty (and `--extra` more posts through the
services, once), then requests the home page through Django's test client (middleware, views,
templates; no network) as a demo employee, and prints the median and 95th percentile server
time and the SQL queries: page 1 (served from the feed cache after the first request, when the
code has one), page 1 right after the cache was invalidated (a follow), and page 2.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
os.environ.setdefault("RUCHE_DEMO_MODE", "true")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from blogs import services  # noqa: E402
from blogs.models import PostPage  # noqa: E402
from people.models import User  # noqa: E402


def timed(
    client: Client, url: str, repeat: int, before=None
) -> tuple[int, float, float, float, int]:
    """(status, median ms, p95 ms, median CPU ms of this process, SQL queries). The CPU time
    (Python: middleware, views, templates) depends less on a shared machine's load than the
    wall-clock time, which includes waiting for the database and for the CPU."""
    client.get(url)  # warm the per-process caches
    times, cpu = [], []
    queries = status = 0
    for _ in range(repeat):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as ctx:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return status, statistics.median(times), p95, statistics.median(cpu), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--extra", type=int, default=200, help="more posts, added once")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        call_command("seed_demo")
    # Authors of demo posts accepted the charter already.
    writers = list(
        User.objects.filter(is_active=True, blog_posts__isnull=False).distinct().order_by("pk")[:20]
    )
    missing = args.extra - PostPage.objects.filter(title__startswith="Bench ").count()
    for n in range(max(missing, 0)):
        services.post_create(
            actor=writers[n % len(writers)], title=f"Bench {n}", body="Texte. " * 40, publish=True
        )
    employee = User.objects.get(username="thomas.bernard")
    other = User.objects.exclude(pk=employee.pk).filter(is_active=True).order_by("pk").first()
    client = Client()
    client.force_login(employee)

    def invalidate() -> None:  # a follow changes this reader's feed (and its cache, if any)
        services.follow_create(actor=employee, person=other)
        services.follow_delete(actor=employee, person=other)

    print(
        f"database: {connection.vendor}, repeat: {args.repeat},"
        f" posts: {PostPage.objects.live().count()}"
    )
    print("| request | status | median ms | p95 ms | median CPU ms | SQL queries |")
    print("|---|---|---|---|---|---|")
    for label, url, before in [
        ("home, page 1", "/", None),
        ("home, page 1 after a follow/unfollow", "/", invalidate),
        ("home, page 2", "/?page=2", None),
    ]:
        status, median, p95, cpu, queries = timed(client, url, args.repeat, before)
        print(f"| {label} | {status} | {median:.1f} | {p95:.1f} | {cpu:.1f} | {queries} |")


if __name__ == "__main__":
    main()
