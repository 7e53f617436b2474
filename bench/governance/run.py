"""Server time and SQL queries of the governance pages, on the demo organisation.

Usage (see docs/benchmarks.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruche_governance_bench \
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/governance/run.py [--repeat 20]

Migrates, seeds the demo organisation if empty (plus the moderation step), then requests each
page through Django's test client (middleware, views, templates; no network) as the demo
administrator and as a demo employee, and prints the median and 95th percentile server time
and the number of SQL queries. The rights map with a place filter asks the live rules for
every employee (about 300), which is the heaviest case.
"""

from __future__ import annotations

import argparse
import io
import os
import random
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
from django.urls import reverse  # noqa: E402

from people.models import User  # noqa: E402


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int, int]:
    client.get(url)  # warm caches and template loaders
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, query_count, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", verbosity=0)
    from console import services
    from ruche import demo_moderation

    demo_moderation.seed(rng=random.Random("bench"), stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    employee = User.objects.get(username="thomas.bernard")
    _token, token = services.calendar_token_regenerate(user=employee)

    pages = [
        (admin, "rights map, page 1", reverse("governance:rights_map")),
        (admin, "rights map, place filter", reverse("governance:rights_map") + "?place=moderation"),
        (admin, "moderation queue", reverse("governance:moderation_queue")),
        (admin, "audit log", reverse("governance:audit_log")),
        (admin, "questionnaire summary", reverse("governance:questionnaire_summary")),
        (admin, "calendar month", reverse("governance:calendar")),
        (employee, "charter", reverse("governance:charter")),
        (employee, "calendar month", reverse("governance:calendar")),
        (employee, "calendar week", reverse("governance:calendar_week")),
        (None, "calendar .ics feed", reverse("governance:calendar_feed", args=[token])),
    ]
    print(f"database: {connection.vendor}, people: {User.objects.count()}, repeat: {args.repeat}")
    print("| page | as | status | median ms | p95 ms | SQL queries |")
    print("|---|---|---|---|---|---|")
    for user, label, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        median, p95, queries, status = measure(client, url, args.repeat)
        who = user.username if user else "token"
        print(f"| {label} | {who} | {status} | {median:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
