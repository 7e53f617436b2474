"""Server time of Wagtail's edit view of one post, for its author: the median of N loads
through Django's test client (whole middleware stack, views, templates; no network, no
browser), after one warm-up load. Run from the repository root against a seeded database:

    DATABASE_URL=... DJANGO_DEBUG=false N=10 \
        .venv/bin/python bench/editor/edit_view.py camille.martin
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from blogs.models import PostPage  # noqa: E402
from people.models import User  # noqa: E402


def main(username: str, loads: int) -> None:
    settings.ALLOWED_HOSTS = ["*"]
    author = User.objects.get(username=username)
    post = PostPage.objects.filter(author=author).order_by("pk").first()
    if post is None:
        raise SystemExit(f"{username} has no post")
    client = Client()
    client.force_login(author)
    url = reverse("wagtailadmin_pages:edit", args=(post.pk,))
    client.get(url)  # warm-up
    times = []
    for _ in range(loads):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(
        f"{url}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms "
        f"over {loads} loads, {len(queries)} SQL queries"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "camille.martin", int(os.environ.get("N", "10")))
