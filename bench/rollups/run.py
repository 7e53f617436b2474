"""Benchmark of the metrics rollups on PostgreSQL (not a test: run it by hand, once).

Generates N participation events for P employees over D days into an EMPTY database, then
measures: PostgreSQL's own GROUP BY over those events (the floor), the full rollup (rollups
and daily snapshots), one new day (the nightly cost), and the administrators' dashboard
rendered from the rollups. The exact command is in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from activity.models import ParticipationEvent, Verb  # noqa: E402
from metrics.rollups import ANSWER_VERBS, days_between, rollup_days  # noqa: E402
from metrics.services import metrics_refresh  # noqa: E402
from metrics.snapshots import snapshot_days  # noqa: E402
from people.models import Department, User  # noqa: E402

COLUMNS = (
    "actor_id, verb, object_type, object_id, community_id, department_id, target_user_id, "
    "target_department_id, prepared_by_id, occurred_at, occurred_on, conversation_type, "
    "conversation_id"
)
# The conversation event_record gives these objects (core.content conversation_of): a post or
# a thread is its own.
CONVERSATIONS = {"blogs.postpage": "post", "communities.thread": "thread"}
VERBS = [
    (Verb.VIEWED, 0.55),
    (Verb.REACTED, 0.13),
    (Verb.COMMENTED, 0.09),
    (Verb.REPLIED, 0.08),
    (Verb.POSTED, 0.04),
    (Verb.STARTED_THREAD, 0.03),
    (Verb.JOINED, 0.03),
    (Verb.FOLLOWED, 0.03),
    (Verb.UPDATED_PROFILE, 0.02),
]


def people(count: int, departments: int, start) -> list[tuple[int, int, bool]]:
    depts = Department.objects.bulk_create(
        [Department(name=f"Bench department {n}", slug=f"bench-{n}") for n in range(departments)]
    )
    password = make_password("bench")
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench{n}",
                password=password,
                department=depts[n % departments],
                is_executive=n < 25,
                is_superuser=n == count - 1,
                is_staff=n == count - 1,
                date_joined=timezone.make_aware(datetime.combine(start, dtime.min))
                - timedelta(days=n % 700),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    for n, dept in enumerate(depts):
        dept.head = users[n]
    Department.objects.bulk_update(depts, ["head"])
    return [(u.pk, u.department_id, u.is_executive) for u in users]


def events(rng: random.Random, staff, start, days: int, total: int, *, charter: bool = True):
    """Yield rows for COPY: a few very active people, most occasional (Zipf-like)."""
    weights = [1 / (i + 1) ** 0.8 for i in range(len(staff))]
    rng.shuffle(weights)
    actors = rng.choices(staff, weights=weights, k=total)
    verbs = rng.choices([v for v, _w in VERBS], weights=[w for _v, w in VERBS], k=total)
    by_id = {pk: (pk, dept, executive) for pk, dept, executive in staff}
    executives = [s for s in staff if s[2]]
    posts: list[tuple[int, int]] = [(1, executives[0][0])]
    threads: list[tuple[int, int, int, datetime]] = []
    viewed: set[tuple] = set()
    charter = {pk for pk, _d, _e in staff if rng.random() < 0.8} if charter else set()
    for pk in sorted(charter):
        day = rng.randrange(days // 2, days)
        at = timezone.make_aware(datetime.combine(start + timedelta(days=day), dtime(9)))
        dept = by_id[pk][1]
        yield (
            pk,
            Verb.ACCEPTED_CHARTER,
            "governance.charter",
            1,
            None,
            dept,
            None,
            None,
            None,
            at,
            at.date(),
            "",
            None,
        )
    for n in range(total - len(charter)):
        pk, dept, executive = actors[n]
        verb = verbs[n]
        day = n * days // total  # events spread evenly over the days, in time order
        at = timezone.make_aware(
            datetime.combine(start + timedelta(days=day), dtime(8))
            + timedelta(seconds=rng.randrange(11 * 3600))
        )
        row = [pk, verb, "", None, None, dept, None, None, None, at, at.date()]
        if verb == Verb.POSTED or (executive and rng.random() < 0.3):
            verb = row[1] = Verb.POSTED
            post = len(posts) + 1
            posts.append((post, pk))
            row[2:4] = ["blogs.postpage", post]
        elif verb == Verb.STARTED_THREAD:
            thread = len(threads) + 1
            community = rng.randrange(1, 201)
            threads.append((thread, pk, community, at))
            row[2:5] = ["communities.thread", thread, community]
        elif verb == Verb.REPLIED and threads:
            thread, author, community, started = threads[
                -rng.randrange(1, min(len(threads), 50) + 1)
            ]
            row[2:5] = ["communities.thread", thread, community]
            row[6:8] = [author, by_id[author][1]]
            row[9] = max(at, started + timedelta(minutes=5))
            row[10] = timezone.localdate(row[9])
        elif verb in (Verb.VIEWED, Verb.REACTED, Verb.COMMENTED, Verb.REPLIED):
            # Executives' posts draw more readers (leader reach).
            post, author = (
                posts[rng.randrange(len(posts))]
                if rng.random() < 0.8
                else next((p for p in reversed(posts[-200:]) if by_id[p[1]][2]), posts[0])
            )
            row[1] = Verb.COMMENTED if verb == Verb.REPLIED else verb
            row[2:4] = ["blogs.postpage", post]
            row[6:8] = [author, by_id[author][1]]
            if verb == Verb.VIEWED:
                key = (pk, post, row[10])
                if key in viewed or author == pk:
                    # One view per person, post and day: a second look becomes a reaction,
                    # so that exactly `total` events are written.
                    row[1] = Verb.REACTED
                else:
                    viewed.add(key)
        elif verb == Verb.JOINED:
            community = rng.randrange(1, 201)
            row[2:5] = ["communities.community", community, community]
        elif verb == Verb.FOLLOWED:
            other = staff[rng.randrange(len(staff))]
            row[2:4] = ["people.user", other[0]]
            row[6:8] = [other[0], other[1]]
        kind = CONVERSATIONS.get(row[2])
        yield (*row, kind or "", row[3] if kind else None)


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def floor_query_seconds() -> float:
    """PostgreSQL alone: the GROUP BY of the activity rollup over every event, counted in the
    server (no rows sent to Python)."""
    qs = (
        ParticipationEvent.objects.values(
            "occurred_on", "actor_id", "department_id", "community_id"
        )
        .order_by()
        .annotate(
            **{
                verb: Count("id", filter=Q(verb=verb))
                for verb in [v for v, _w in VERBS] + [Verb.ACCEPTED_CHARTER]
            },
            answers=Count("id", filter=Q(verb__in=ANSWER_VERBS)),
        )
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS grouped", params)
        cursor.fetchone()
        return time.perf_counter() - started


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"{cpu}, {os.cpu_count()} cores, PostgreSQL {version}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--departments", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL to a dedicated database.")
    if ParticipationEvent.objects.exists() or User.objects.exists():
        sys.exit("The database is not empty: create a fresh one (see docs/benchmarks.md).")

    rng = random.Random(20261122)
    last = timezone.localdate() - timedelta(days=2)
    start = last - timedelta(days=args.days - 1)
    print(f"Machine: {machine()}")
    generating = time.perf_counter()
    staff = people(args.people, args.departments, start)
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY metrics_participationevent ({COLUMNS}) FROM STDIN") as copy:
            for row in events(rng, staff, start, args.days, args.events):
                copy.write_row(row)
                count += 1
        cursor.execute("VACUUM ANALYZE metrics_participationevent")
    print(
        f"Generated {count:,} events for {args.people:,} people over {args.days} days "
        f"in {time.perf_counter() - generating:.0f} s (not measured)"
    )

    floor = min(floor_query_seconds() for _ in range(3))
    print(
        f"Floor: one GROUP BY over all events in PostgreSQL: {floor:.2f} s "
        f"({count / floor:,.0f} events/s)"
    )

    days = days_between(start, last)
    rollup_s, _ = timed(lambda: rollup_days(days))
    snapshot_s, _ = timed(lambda: snapshot_days(days, latest=last))
    total = rollup_s + snapshot_s
    print(
        f"Full rollup: {rollup_s:.2f} s ({count / rollup_s:,.0f} events/s, "
        f"{rollup_s / floor:.1f} x the floor)"
    )
    print(
        f"Daily snapshots ({len(days)} days x organisation + {args.departments} departments): "
        f"{snapshot_s:.2f} s"
    )
    print(f"Total: {total:.2f} s ({count / total:,.0f} events/s)")
    print(
        f"Ratio to the floor (full rollup plus snapshots / GROUP BY): {total / floor:.1f} x "
        f"(target: 2 x); load average {os.getloadavg()[0]:.1f} (a shared machine makes "
        "every figure provisional)"
    )

    # One new day, as the nightly job sees it.
    new_day = last + timedelta(days=1)
    per_day = args.events // args.days
    rows = [
        (
            *row[:9],
            row[9] + timedelta(days=args.days),
            row[10] + timedelta(days=args.days),
            *row[11:],
        )
        for row in events(random.Random(1), staff, start, 1, per_day, charter=False)
    ]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY metrics_participationevent ({COLUMNS}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    incremental_s, rolled = timed(lambda: metrics_refresh(until=new_day))
    assert rolled == [new_day], rolled
    print(f"One new day ({len(rows):,} events): rollup and snapshots in {incremental_s:.2f} s")

    admin = User.objects.get(username=f"bench{args.people - 1}")
    client = Client()
    client.force_login(admin)
    # Administrators give a second factor (RUCHE_2FA_REQUIRED_FOR_ADMINS): the session is one
    # that has, as after the code page, so the dashboard is measured behind the real check.
    device = TOTPDevice.objects.create(user=admin, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.get("/metrics/")  # warm-up: imports, template loading
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/metrics/")
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(
        f"Administrators' dashboard: median {statistics.median(times) * 1000:.0f} ms, "
        f"best {min(times) * 1000:.0f} ms, {len(queries)} queries, "
        f"{len(response.content) // 1024} KiB"
    )


if __name__ == "__main__":
    main()
