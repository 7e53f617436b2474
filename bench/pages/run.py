"""Server time and SQL queries of the pages an employee opens every day.

Usage (see docs/benchmarks.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruche_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/pages/run.py [--repeat 30]

It migrates the database, seeds the demo organisation if it is empty, then requests each page
as a signed-in demo employee through Django's test client (the whole middleware stack, views and
templates, no network) and reports the median and 95th percentile server time and the number of
SQL queries per page.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
os.environ.setdefault("RUCHE_DEMO_MODE", "true")
# Measure what production runs: no debug toolbar of Django, no query log kept in memory.
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from people.models import User  # noqa: E402


def pages_for(user: User) -> list[tuple[str, str]]:
    """The daily pages; app pages are included when their app provides them."""
    from django.urls import NoReverseMatch, reverse

    candidates = [
        ("home", "/"),
        ("people directory", reverse("people:directory")),
        ("people search", reverse("people:directory") + "?q=martin"),
        ("profile", reverse("people:profile", args=[user.username])),
        ("department", user.department.get_absolute_url()),
    ]
    for label, name in [
        ("blogs index", "blogs:index"),
        ("communities", "communities:index"),
        ("notifications", "notifications:centre"),
    ]:
        with contextlib.suppress(NoReverseMatch):
            candidates.append((label, reverse(name)))
    return candidates


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm caches and template loaders
    timings = []
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Count now: the captured list is a view on the connection's log, which the next
    # request resets.
    query_count = len(queries)
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, query_count, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--user", default="thomas.bernard")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", verbosity=0)
    user = User.objects.select_related("department").get(username=args.user)
    client = Client()
    client.force_login(user)

    print(f"database: {connection.vendor}, user: {user.username}, repeat: {args.repeat}")
    print("| page | status | median ms | p95 ms | SQL queries |")
    print("|---|---|---|---|---|")
    for label, url in pages_for(user):
        median, p95, queries, status = measure(client, url, args.repeat)
        print(f"| {label} (`{url}`) | {status} | {median:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
