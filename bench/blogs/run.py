"""Server time and SQL queries of the blog pages, on the demo data.

Usage (see docs/benchmarks.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruche_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/blogs/run.py [--repeat 20]

Seeds the demo organisation if the database is empty, then requests each page through Django's
test client (middleware, views, templates; no network) as a demo employee and as the executive
whose post has the longest conversation, and prints the median and 95th percentile server time
and the SQL queries of each page.
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
from django.db.models import Count, F, OuterRef, Subquery  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from blogs import services  # noqa: E402
from blogs.models import FeedToken, PostPage  # noqa: E402
from people.models import User  # noqa: E402


def busiest_post() -> PostPage:
    from django.contrib.contenttypes.models import ContentType

    from interactions.models import Comment

    content_type = ContentType.objects.get_for_model(PostPage, for_concrete_model=False)
    counts = (
        Comment.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        PostPage.objects.live()
        .annotate(comments=Subquery(counts))
        .order_by(F("comments").desc(nulls_last=True), "-pk")
        .select_related("author")
        .first()
    )


def measure(client: Client, url: str, repeat: int) -> tuple[int, float, float, int]:
    client.get(url)  # warm caches
    times = []
    queries = 0
    status = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return status, statistics.median(times), p95, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        call_command("seed_demo")
    post = busiest_post()
    employee = User.objects.get(username="thomas.bernard")
    _token, secret = services.feed_token_regenerate(user=employee)
    pages = [
        ("employee", "blogs index", "/blogs/"),
        ("employee", "Leadership space", "/leadership/"),
        ("employee", "a blog", post.get_parent().url),
        ("employee", f"post with {post.comments or 0} comments", post.url),
        ("author", "same post, as its author (with stats)", post.url),
        ("author", "my posts (stats of every post)", reverse("blogs:mine")),
        ("employee", "search", reverse("search:search") + "?q=dirigeants&kind=post"),
        ("employee", "Atom feed, all blogs (token)", FeedToken.feed_url(secret)),
    ]
    clients = {"employee": Client(), "author": Client()}
    clients["employee"].force_login(employee)
    clients["author"].force_login(post.author)
    print(f"database: {connection.vendor}, repeat: {args.repeat}")
    print("| page | as | status | median ms | p95 ms | SQL queries |")
    print("|---|---|---|---|---|---|")
    for who, label, url in pages:
        status, median, p95, queries = measure(clients[who], url, args.repeat)
        print(f"| {label} | {who} | {status} | {median:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
