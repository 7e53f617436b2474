"""Live fan-out benchmark: N websocket clients on one thread, time from a reply's commit to its
delivery at every client.

What runs, all for real: PostgreSQL, the Redis channel layer, Ruche's ASGI application served
by uvicorn in its own processes (`--workers`), N distinct employees each with an authenticated
session cookie and a websocket on the thread page (`/ws/communities/threads/<id>/`), in client
processes separate from the server. The writer posts replies through
`interactions.services.comment_create`, exactly as the reply form does; an on-commit callback
registered before the write timestamps the commit (callbacks run in registration order, so it
runs just before the broadcast). Each client timestamps the `reply.created` frame it receives.
Everything runs on one machine, so the clocks are the same clock.

Usage (from the repository root, against a database you can write to):

    DATABASE_URL=postgres://... REDIS_URL=redis://... \
        .venv/bin/python bench/fanout/fanout.py --clients 1000 --replies 30 --workers 2

It creates (once) the employees `bench-fanout-0000`..., an open community `bench-fanout` and
one thread, and reuses them on later runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import platform as python_platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")


# --- Clients (in their own processes: they must not share the writer's CPU time slice) ------


async def _client_main(url, origin, cookies, concurrency, ready, stop, results) -> None:
    import websockets

    received: list[tuple[int, float]] = []
    # Browsers open their pages at the same time, not one after the other: connect with up to
    # `concurrency` handshakes in flight per client process.
    gate = asyncio.Semaphore(concurrency)

    async def connect(cookie):
        async with gate:
            for attempt in range(20):
                try:
                    return await websockets.connect(
                        url,
                        additional_headers={"Cookie": cookie, "Origin": origin},
                        max_queue=None,
                        open_timeout=60,
                        close_timeout=2,
                    )
                except Exception:
                    if attempt == 19:
                        raise
                    await asyncio.sleep(0.2 * (attempt + 1))

    connections = await asyncio.gather(*(connect(cookie) for cookie in cookies))

    async def listen(ws) -> None:
        try:
            async for raw in ws:
                data = json.loads(raw)
                if data.get("type") == "reply.created" and "html" in data["reply"]:
                    received.append((data["reply"]["id"], time.time()))
        except Exception:
            return

    # A connection counts once the consumer accepted it and joined the thread's group: its
    # first frame is the viewer count.
    accepted = 0
    for ws in connections:
        first = json.loads(await asyncio.wait_for(ws.recv(), timeout=300))
        accepted += first.get("type") == "viewers"
    tasks = [asyncio.create_task(listen(ws)) for ws in connections]
    ready.put(accepted)
    while not stop.is_set():
        await asyncio.sleep(0.05)
    closed_early = sum(1 for ws in connections if ws.close_code is not None)
    # Results first: closing 500 sockets one handshake after the other can outlast the parent.
    results.put((received, closed_early))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in connections), return_exceptions=True)


def client_process(url, origin, cookies, concurrency, ready, stop, results) -> None:
    asyncio.run(_client_main(url, origin, cookies, concurrency, ready, stop, results))


# --- Setup ----------------------------------------------------------------------------------


def setup_data(clients: int):
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from communities.models import AccessMode, Community, Membership, Thread
    from governance.selectors import current_charter
    from governance.services import charter_accept
    from people.models import User

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"] or not settings.REDIS_URL:
        sys.exit("The fan-out benchmark needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL).")
    now = timezone.now()
    usernames = [f"bench-fanout-{n:04d}" for n in range(clients + 1)]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(username=u, first_name="Bench", last_name=u[-4:], password=password)
            for u in usernames
            if u not in existing
        ]
    )
    users = list(User.objects.filter(username__in=usernames).order_by("username"))
    writer, readers = users[0], users[1:]
    # The demo database has a published charter: nobody writes before accepting it. The writer
    # accepts it the way the charter page does (idempotent on later runs).
    charter = current_charter()
    if charter is not None:
        charter_accept(user=writer, charter=charter)
    community, _ = Community.objects.get_or_create(
        slug="bench-fanout",
        defaults={
            "name": "Bench fan-out",
            "access": AccessMode.OPEN,
            "created_at": now,
            "last_activity_at": now,
        },
    )
    members = set(Membership.objects.filter(community=community).values_list("user_id", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(community=community, user=u, created_at=now)
            for u in users
            if u.pk not in members
        ]
    )
    thread, _ = Thread.objects.get_or_create(
        community=community,
        title="Bench fan-out thread",
        defaults={"author": writer, "body": "Fan-out", "created_at": now, "last_activity_at": now},
    )
    cookies = []
    for user in readers:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return writer, thread, cookies


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("uvicorn did not start")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": python_platform.python_version(),
        "system": python_platform.platform(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--replies", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between replies")
    parser.add_argument(
        "--connect-concurrency",
        type=int,
        default=50,
        help="websocket handshakes in flight at once per client process",
    )
    parser.add_argument(
        "--layer",
        choices=["pubsub", "lists"],
        default="pubsub",
        help="the project's channel layer (Redis pub/sub), or channels_redis's per-socket "
        "lists layer it replaced, to compare the two in one run (see fanout_settings.py)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=2.0,
        help="seconds between the last connection and the first reply",
    )
    args = parser.parse_args()

    writer, thread, cookies = setup_data(args.clients)
    port = free_port()
    server_env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}:{ROOT / 'bench' / 'fanout'}",
        # Production's setting (no query log, no debug pages) unless asked otherwise.
        "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "false"),
    }
    if args.layer == "lists":
        server_env["DJANGO_SETTINGS_MODULE"] = "fanout_settings"
    server = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "ruche.asgi:application",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
            "--log-level", "warning", "--no-access-log", "--lifespan", "off",
            # As operations.workers.BoundedUvicornWorker, the production worker, serves them.
            "--ws-per-message-deflate", "false",
        ],
        cwd=ROOT,
        env=server_env,
    )  # fmt: skip
    try:
        wait_for_port(port)
        results = run(args, port, writer, thread, cookies)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps(results, indent=2))
    latency = results["per_client_ms"]
    print(
        f"{results['clients_connected']} clients connected in {results['connect_seconds']} s; "
        f"{results['replies']} replies: commit-to-client p50 {latency['p50']} ms, "
        f"p95 {latency['p95']} ms, p99 {latency['p99']} ms, max {latency['max']} ms; "
        f"lost {results['lost']} of {results['deliveries_expected']}; "
        f"load average {results['load_average']}"
    )


def run(args, port: int, writer, thread, cookies: list[str]) -> dict:
    from django.db import transaction

    from interactions.services import comment_create

    url = f"ws://127.0.0.1:{port}/ws/communities/threads/{thread.pk}/"
    origin = f"http://127.0.0.1:{port}"
    ctx = mp.get_context("spawn")
    ready, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    shares = [cookies[i :: args.client_processes] for i in range(args.client_processes)]
    processes = [
        ctx.Process(
            target=client_process,
            args=(url, origin, share, args.connect_concurrency, ready, stop, results),
        )
        for share in shares
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    connected = sum(ready.get(timeout=600) for _ in processes)
    connect_seconds = time.monotonic() - started
    print(f"{connected} clients connected in {connect_seconds:.1f} s", file=sys.stderr)
    # The 1,000 pages opened within seconds leave the server busy for a few more (viewer
    # counts, group subscriptions): measured from --settle seconds after the last connection.
    time.sleep(args.settle)

    committed: dict[int, float] = {}
    for n in range(args.replies):
        stamp: dict[str, float] = {}
        with transaction.atomic():
            # Registered first, so it runs first at commit, just before the broadcast.
            transaction.on_commit(lambda stamp=stamp: stamp.setdefault("at", time.time()))
            comment = comment_create(author=writer, target=thread, body=f"Bench reply {n}")
        committed[comment.pk] = stamp["at"]
        time.sleep(args.interval)
    time.sleep(5)  # stragglers
    stop.set()
    received: list[tuple[int, float]] = []
    closed_early = 0
    for _ in processes:
        got, closed = results.get(timeout=120)
        received.extend(got)
        closed_early += closed
    for process in processes:
        process.join(timeout=30)

    latencies: list[float] = []
    per_reply_all: list[float] = []
    by_reply: dict[int, list[float]] = {pk: [] for pk in committed}
    for reply_id, at in received:
        if reply_id in committed:
            by_reply[reply_id].append((at - committed[reply_id]) * 1000)
    for values in by_reply.values():
        latencies.extend(values)
        if len(values) == connected:
            per_reply_all.append(max(values))
    expected = connected * len(committed)
    return {
        "machine": machine(),
        "clients_connected": connected,
        "connect_seconds": round(connect_seconds, 1),
        "uvicorn_workers": args.workers,
        "channel_layer": args.layer,
        "replies": len(committed),
        "deliveries": len(latencies),
        "deliveries_expected": expected,
        "lost": expected - len(latencies),
        "connections_closed_before_the_end": closed_early,
        "fewest_deliveries_of_a_reply": min(len(v) for v in by_reply.values()),
        "per_client_ms": {
            "p50": round(statistics.median(latencies), 1) if latencies else None,
            "p95": round(percentile(latencies, 95), 1) if latencies else None,
            "p99": round(percentile(latencies, 99), 1) if latencies else None,
            "max": round(max(latencies), 1) if latencies else None,
        },
        "load_average": load_average(),
        "all_clients_reached_ms": {
            "median": round(statistics.median(per_reply_all), 1) if per_reply_all else None,
            "p95": round(percentile(per_reply_all, 95), 1) if per_reply_all else None,
            # In the order the replies were written: a slow first reply is a cold start, a
            # slow reply every few seconds is something periodic.
            "each_reply": [round(value) for value in per_reply_all],
        },
    }


if __name__ == "__main__":
    main()
