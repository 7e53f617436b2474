"""Notification centre benchmark: how long the centre and the unread badge take as a person's
backlog of notifications grows.

What runs, for real: Ruche's Django application in process (Django's test client, the whole
middleware stack, templates), the configured database and cache. For each backlog size it
gives one employee that many notifications (40 % unread, in groups of about ten, on twenty
targets, over a year), then times the centre's first page and a page deep in the history, and
the unread count with an empty cache (the header badge's worst case), and counts the SQL
queries of each page.

Usage (from the repository root, against a database you can write to):

    DATABASE_URL=postgres://... REDIS_URL=redis://... \\
        .venv/bin/python bench/notifications/centre.py --backlog 1000 5000 50000 --repeat 30

It creates (once) the employee `bench-notifications` and twenty departments as targets, and
replaces that employee's notifications at each size.
"""

from __future__ import annotations

import argparse
import os
import platform as python_platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")


def _setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _fill(user, size: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from notifications.models import Kind, Notification
    from people.models import Department

    targets = [
        Department.objects.get_or_create(
            slug=f"bench-notifications-{i}", defaults={"name": f"Bench notifications {i}"}
        )[0]
        for i in range(20)
    ]
    department = ContentType.objects.get_for_model(Department)
    Notification.objects.filter(recipient=user).delete()
    now = timezone.now()
    step = timedelta(days=365) / size
    kinds = [Kind.REPLY, Kind.COMMENT, Kind.MENTION, Kind.ANNOUNCEMENT]
    Notification.objects.bulk_create(
        (
            Notification(
                recipient=user,
                kind=kinds[(i // 10) % len(kinds)],
                content_type=department,
                object_id=targets[(i // 10) % 20].pk,
                target_title=targets[(i // 10) % 20].name,
                url=f"/bench/{i // 10}/",
                summary=f"Notification {i}",
                group_key=f"bench:{i // 10}",
                created_at=now - step * i,
                read_at=None if i % 10 < 4 else now,
            )
            for i in range(size)
        ),
        batch_size=2000,
    )


def _time(function, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backlog", type=int, nargs="+", default=[1000, 5000, 50000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    _setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from notifications.selectors import unread_cache_key, unread_count
    from people.models import User

    user, _ = User.objects.get_or_create(
        username="bench-notifications",
        defaults={"first_name": "Bench", "last_name": "Notifications", "email": "b@ruche.test"},
    )
    client = Client()
    client.force_login(user)

    def page(number: int):
        def get() -> None:
            response = client.get(f"/notifications/?page={number}")
            assert response.status_code == 200, response.status_code

        return get

    def cold_unread() -> None:
        cache.delete(unread_cache_key(user.pk))
        unread_count(user.pk)

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    print(f"python {python_platform.python_version()}, {os.cpu_count()} CPUs")
    print()
    print(
        "| backlog | groups | centre page 1 median / p95 | deep page median / p95 "
        "| queries | unread count, cold cache, median / p95 |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size in args.backlog:
        _fill(user, size)
        groups = -(-size // 10)
        deep = max(1, min(groups // 20, 50))
        page(1)()  # warm up templates and connections
        with CaptureQueriesContext(connection) as queries:
            page(deep)()
        first = _time(page(1), args.repeat)
        last = _time(page(deep), args.repeat)
        unread = _time(cold_unread, args.repeat)
        print(
            f"| {size} | {groups} | {first[0]:.1f} / {first[1]:.1f} ms "
            f"| {last[0]:.1f} / {last[1]:.1f} ms (page {deep}) | {len(queries)} "
            f"| {unread[0]:.2f} / {unread[1]:.2f} ms |"
        )


if __name__ == "__main__":
    main()
