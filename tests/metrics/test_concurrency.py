"""One computation at a time, and crashes that leave the next run exactly what is missing.

Real concurrency and real crashes need PostgreSQL (threads with their own connections, and
subprocesses of `manage.py compute_metrics` on the test database, killed with SIGKILL at
random moments); every result is compared with a computation from scratch.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from activity.models import DirtyDay, Verb
from activity.services import event_record
from metrics.locking import LOCK_KEY, ComputationBusy, computation_lock
from metrics.models import (
    ActivityDay,
    CohortSnapshot,
    CommunitySnapshot,
    ConversationTurn,
    InteractionDay,
    LeaderViewDay,
    RolledDay,
    ScopeDay,
)
from metrics.services import metrics_refresh, yesterday
from tests.factories import DepartmentFactory, ExecutiveFactory, UserFactory
from tests.metrics.factories import at, event, joined_long_ago

ROOT = Path(__file__).resolve().parents[2]
TABLES = [
    ActivityDay,
    InteractionDay,
    LeaderViewDay,
    ConversationTurn,
    ScopeDay,
    CommunitySnapshot,
    CohortSnapshot,
]
DAYS = 100

postgres_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="real concurrency and SIGKILL of a second process need PostgreSQL",
)
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def dump() -> dict[str, list[tuple]]:
    out = {}
    for model in TABLES:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        out[model.__name__] = sorted(
            model.objects.values_list(*names), key=lambda row: [str(v) for v in row]
        )
    return out


def wipe() -> None:
    for model in [*TABLES, RolledDay]:
        model.objects.all().delete()


def organisation(rng: random.Random) -> tuple[list, list]:
    """Three departments, 24 people (two executives), DAYS days of varied activity."""
    departments = [DepartmentFactory(name=f"D{n}", slug=f"d{n}") for n in range(3)]
    people = [
        (ExecutiveFactory if n < 2 else UserFactory)(
            username=f"p{n}", department=departments[n % 3]
        )
        for n in range(24)
    ]
    joined_long_ago(*people)
    for person in people:
        person.refresh_from_db()
    first = yesterday() - timedelta(days=DAYS - 1)
    thread_id = post_id = 0
    for n in range(DAYS):
        day = first + timedelta(days=n)
        for _ in range(rng.randint(5, 25)):
            actor = rng.choice(people)
            when = at(day, rng.randint(0, 23), rng.randint(0, 59))
            kind = rng.random()
            community = rng.randint(1, 4)
            if kind < 0.1:
                event(
                    actor,
                    Verb.JOINED,
                    when,
                    object_type="communities.community",
                    object_id=community,
                    community_id=community,
                )
            elif kind < 0.25:
                thread_id += 1
                event(
                    actor,
                    Verb.STARTED_THREAD,
                    when,
                    object_type="communities.thread",
                    object_id=thread_id,
                    community_id=community,
                )
                answerer = rng.choice(people)
                event(
                    answerer,
                    Verb.REPLIED,
                    when + timedelta(hours=rng.randint(1, 40)),
                    object_type="communities.thread",
                    object_id=thread_id,
                    community_id=community,
                    target=actor,
                )
            elif kind < 0.4:
                post_id += 1
                event(actor, Verb.POSTED, when, object_id=post_id)
            elif kind < 0.5 and post_id:
                event(
                    actor,
                    Verb.COMMENTED,
                    when,
                    object_id=post_id,
                    target=rng.choice(people[:2]),
                    conversation=("post", post_id),
                )
            elif kind < 0.6:
                event(actor, Verb.REACTED, when, object_id=max(post_id, 1), target=people[0])
            elif kind < 0.65:
                event(actor, Verb.ACCEPTED_CHARTER, when, object_type="governance.charter")
            else:
                event(
                    actor,
                    Verb.VIEWED,
                    when,
                    object_type="blogs.post",
                    object_id=rng.randint(1, 10_000_000),
                    target=rng.choice(people[:3]),
                )
    return people, [first + timedelta(days=n) for n in range(DAYS)]


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def command(*args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url()}
    return subprocess.Popen(
        [sys.executable, "manage.py", "compute_metrics", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def lock_held() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s",
            [(LOCK_KEY >> 32) & 0xFFFFFFFF, LOCK_KEY & 0xFFFFFFFF],
        )
        return cursor.fetchone() is not None


def wait_for_lock(process: subprocess.Popen) -> bool:
    """Until the subprocess holds the metrics lock (Django has started, computing begins);
    False when it finished first (nothing left to do: it held the lock for an instant)."""
    deadline = time.monotonic() + 60
    while not lock_held():
        if process.poll() is not None:
            assert process.returncode == 0, process.communicate()
            return False
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return True


def timed_run(*args: str) -> float:
    """Run the command to the end; seconds from taking the lock to the exit."""
    process = command(*args)
    started = time.monotonic()
    if wait_for_lock(process):
        started = time.monotonic()
    _out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return time.monotonic() - started


def kill_at_random_points(rng: random.Random, args: list[str], duration: float, times: int):
    """Start the command `times` times, killing it at a random moment of its work; the first
    kill lands inside the run (between 20 % and 80 % of `duration`), the others anywhere."""
    killed = 0
    for n in range(times):
        process = command(*args)
        if wait_for_lock(process):
            time.sleep(duration * (rng.uniform(0.2, 0.8) if n == 0 else rng.uniform(0, 1)))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.communicate(timeout=60)
    return killed


def test_two_computations_started_together_over_overlapping_ranges(django_db_blocker):
    rng = random.Random(7)
    _, days = organisation(rng)
    metrics_refresh(since=days[0], until=days[-1])
    expected = dump()
    wipe()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def compute(since, until):
        try:
            barrier.wait()
            metrics_refresh(since=since, until=until)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=compute, args=(days[0], days[60])),
        threading.Thread(target=compute, args=(days[30], days[-1])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert dump() == expected


def test_a_second_caller_that_will_not_wait_is_told_so():
    with computation_lock():
        process = command("--no-wait")
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 1
        assert "Another metrics computation is running" in err
        assert not RolledDay.objects.exists()
        # In-process callers get the exception (the nightly task skips on it).
        done = []

        def other():
            try:
                metrics_refresh(wait=False)
            except ComputationBusy:
                done.append("busy")
            finally:
                connection.close()

        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert done == ["busy"]


def another_session_asked_for_the_lock(since) -> bool:
    """A connection opened after `since` (the subprocess's: the pool keeps this process's
    older connections open, their last query shown too) polls for the lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            " AND datname = current_database() AND backend_start > %s AND query LIKE %s",
            [since, "%pg_try_advisory_lock%"],
        )
        return cursor.fetchone() is not None


def _database_now():
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]


def test_a_second_caller_that_waits_says_so_and_runs_after():
    people_and_days = organisation(random.Random(3))
    assert people_and_days
    with computation_lock():
        started = _database_now()
        process = command()
        deadline = time.monotonic() + 90
        while not another_session_asked_for_the_lock(started):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(1)
        # It is waiting: nothing rolled while the lock is held.
        assert process.poll() is None
        assert not RolledDay.objects.exists()
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "waiting for it to finish" in out
    assert RolledDay.objects.count() == DAYS


def test_kill_9_at_random_points_then_a_rerun_gives_the_from_scratch_rows():
    seed = int(os.environ.get("RUCHE_KILL_SEED", time.time()))
    rng = random.Random(seed)
    people, days = organisation(rng)

    # A long computation from scratch, killed at random moments, then run to the end.
    duration = timed_run()
    expected = dump()
    wipe()
    killed = kill_at_random_points(rng, [], duration, times=4)
    assert timed_run() >= 0
    assert dump() == expected, f"seed {seed}, {killed} killed"

    # Late events early in the range: the re-roll must refresh every later day whose
    # 30-day window (or cumulative figure) contains one. Killed at random points too: the
    # re-roll redoes the snapshots of nearly the whole range, as long as the first run.
    late_days = set()
    for n in range(6):
        late = at(days[rng.randint(0, 8)], rng.randint(0, 23))
        late_days.add(timezone.localdate(late))
        event_record(
            actor=rng.choice(people[2:]),
            verb=Verb.COMMENTED,
            target_user=people[n % 2],
            occurred_at=late,
        )
        event_record(actor=people[n + 2], verb=Verb.POSTED, occurred_at=late)
    assert set(DirtyDay.objects.values_list("day", flat=True)) == late_days
    killed = kill_at_random_points(rng, [], duration, times=3)
    timed_run()
    assert not DirtyDay.objects.exists()
    assert not RolledDay.objects.filter(snapshot_pending=True).exists()
    rerolled = dump()
    assert rerolled != expected  # the late events changed figures
    wipe()
    metrics_refresh(since=days[0], until=days[-1])
    assert rerolled == dump(), f"seed {seed}, {killed} re-rolls killed"
