"""Comments and reactions at scale: server time and SQL queries of a blog post page and a
community thread page as their conversation grows, and of the comment and reaction writes.

Usage (see docs/benchmarks.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruche_interactions \\
    REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/interactions/run.py [--comments 200] [--repeat 30]

It migrates the database, then creates (through the services, as the pages would) a post and a
thread by fresh bench employees, and measures each page empty, then with `--comments` comments
(half of them replies, three reactions on each), through Django's test client (middleware,
views, templates; no network). Writes are measured as POSTs to the interactions endpoints.
Every run creates new people and content (prefixed "bench-ix-"), so it can be repeated.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
# Measure what production runs: no query log kept in memory by DEBUG.
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from people.models import User  # noqa: E402


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float, float, int]:
    """Median and p95 wall milliseconds of `action` over `repeat` runs, its median CPU
    milliseconds in this process (what the page costs, whatever else loads the machine),
    and its query count."""
    action()  # warm caches and template loaders
    with CaptureQueriesContext(connection) as queries:
        action()
    count = len(queries)
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    timings.sort()
    return (
        statistics.median(timings),
        timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        statistics.median(cpu),
        count,
    )


def people(prefix: str, count: int) -> list[User]:
    from people.services import user_create

    return [
        user_create(
            username=f"{prefix}-{i}",
            email=f"{prefix}-{i}@bench.test",
            first_name="Bench",
            last_name=f"Person {i}",
            send_welcome=False,
        )
        for i in range(count)
    ]


def converse(target, authors: list[User], comments: int) -> None:
    from interactions import services

    tops = []
    for i in range(comments // 2):
        tops.append(
            services.comment_create(
                author=authors[i % len(authors)],
                target=target,
                body=f"Commentaire {i} : merci @{authors[(i + 1) % len(authors)].username}, "
                "voir https://ruche.example/doc.",
            )
        )
    for i, top in enumerate(tops):
        reply = services.comment_create(
            author=authors[(i + 2) % len(authors)], target=target, body="Réponse.", parent=top
        )
        for comment in (top, reply):
            for reactor in authors[3:6]:
                services.reaction_toggle(user=reactor, target=comment, kind="like")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from blogs import services as blogs
    from communities import services as communities
    from governance.models import CharterAcceptance
    from governance.selectors import current_charter

    prefix = f"bench-ix-{uuid.uuid4().hex[:6]}"
    authors = people(prefix, 8)
    author, reader = authors[0], authors[1]
    charter = current_charter()
    if charter is not None:  # a seeded database: the bench people accept the charter
        CharterAcceptance.objects.bulk_create(
            [CharterAcceptance(charter=charter, user=u) for u in authors]
        )
    User.objects.filter(pk=author.pk).update(is_community_manager=True)
    author.refresh_from_db()

    blogs.blog_ensure(actor=author)
    post = blogs.post_create(
        actor=author, title="Bench post", body="Un billet pour mesurer.", publish=True
    )
    community = communities.community_create(actor=author, name=f"Bench {prefix}")
    for person in authors[1:]:
        communities.community_join(actor=person, community=community)
    thread = communities.thread_create(
        actor=author, community=community, kind="discussion", title="Bench thread", body="Bonjour"
    )

    client = Client()
    client.force_login(reader)
    rows = []
    for label, target in (("blog post page", post), ("thread page", thread)):
        url = target.get_absolute_url()
        rows.append((f"{label}, 0 comments", *timed(lambda u=url: client.get(u), args.repeat)))
        started = time.perf_counter()
        converse(target, authors, args.comments)
        print(
            f"(wrote {args.comments} comments on the {label} in "
            f"{time.perf_counter() - started:.1f} s)",
            file=sys.stderr,
        )
        rows.append(
            (f"{label}, {args.comments} comments", *timed(lambda u=url: client.get(u), args.repeat))
        )

    key = "post"
    comment_url = f"/interactions/{key}/{post.pk}/comments/"
    reaction_url = f"/interactions/{key}/{post.pk}/reactions/"
    rows.append(
        (
            "POST a comment (view, service, event, mention, notifications)",
            *timed(
                lambda: client.post(comment_url, {"body": f"Merci @{author.username} !"}),
                args.repeat,
            ),
        )
    )
    rows.append(
        (
            "POST a reaction toggle",
            *timed(lambda: client.post(reaction_url, {"kind": "insightful"}), args.repeat),
        )
    )

    print(f"\n{'what':<66} {'median':>8} {'p95':>8} {'CPU':>8} {'queries':>8}")
    for label, median, p95, cpu, queries in rows:
        print(f"{label:<66} {median:>6.1f}ms {p95:>6.1f}ms {cpu:>6.1f}ms {queries:>8}")


if __name__ == "__main__":
    main()
