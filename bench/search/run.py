"""Global search at 100,000 items: server time (p50, p95) and SQL queries per search.

Usage (see docs/benchmarks.md):
    createdb -h 127.0.0.1 -U postgres ruche_search_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruche_search_bench \
        .venv/bin/python bench/search/run.py [--items 100000] [--repeat 20] [--seed-only]

Seeds once (an empty database): 300 people in 6 departments, 30 communities (a third
private), 1,000 blog posts (Wagtail pages; 50 through `blogs.services.post_create`), and the
rest in threads, replies and comments written in bulk with French and English sentences;
then `search_reindex`. Each search is then asked through Django's test client (middleware,
view, template; no network) by an employee who is a member of some private communities, and
the median and 95th percentile server time and the SQL queries are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from search.models import SearchDocument  # noqa: E402
from wagtail.rich_text import RichText  # noqa: E402

from blogs import services as blog_services  # noqa: E402
from blogs.models import PostPage  # noqa: E402
from communities.models import AccessMode, Community, Membership, MembershipState, Role, Thread  # noqa: E402
from interactions.models import Comment  # noqa: E402
from interactions.targets import target_content_type  # noqa: E402
from people.models import Department, User  # noqa: E402

WORDS = [
    "réunion",
    "équipe",
    "projet",
    "client",
    "qualité",
    "délai",
    "budget",
    "formation",
    "sécurité",
    "télétravail",
    "développement",
    "durable",
    "innovation",
    "stratégie",
    "partenaire",
    "fournisseur",
    "logistique",
    "entrepôt",
    "facturation",
    "recrutement",
    "intégration",
    "mobilité",
    "événement",
    "séminaire",
    "atelier",
    "retour",
    "expérience",
    "amélioration",
    "processus",
    "outil",
    "tableau",
    "indicateur",
    "objectif",
    "trimestre",
    "bilan",
    "meeting",
    "customer",
    "delivery",
    "roadmap",
    "release",
    "feedback",
    "hiring",
    "onboarding",
    "training",
    "budget",
    "quarter",
    "review",
    "planning",
    "support",
    "incident",
    "deployment",
    "network",
    "security",
    "design",
    "research",
]
POSTS = 1000
SEARCHES = [
    ("one common word", "réunion"),
    ("unaccented", "securite"),
    ("two words", "équipe formation"),
    ("English stem", "meetings"),
    ("typo", "developement"),
    ("rare word", "albatros"),
    ("kind filter", "budget&kind=reply"),
    ("page 5", "projet&page=5"),
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def seed(items: int) -> None:
    rng = random.Random(13)
    now = timezone.now()
    departments = [
        Department.objects.create(name=f"Département {i}", slug=f"dept-{i}") for i in range(6)
    ]
    people = [
        User.objects.create_user(
            username=f"person{i}",
            first_name=rng.choice(["Marie", "Jean", "Chloé", "Hélène", "Luc", "Anaïs", "Paul"]),
            last_name=rng.choice(["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard"])
            + str(i),
            department=departments[i % 6],
            job_title=rng.choice(["Chef de projet", "Développeuse", "Comptable", "Designer"]),
        )
        for i in range(300)
    ]
    communities = []
    for i in range(30):
        community = Community.objects.create(
            name=f"Communauté {i} {rng.choice(WORDS)}",
            slug=f"communaute-{i}",
            description=sentence(rng, 20),
            access=AccessMode.PRIVATE if i % 3 == 0 else AccessMode.OPEN,
            created_by=people[i],
            created_at=now,
            last_activity_at=now,
        )
        communities.append(community)
        Membership.objects.bulk_create(
            Membership(
                community=community,
                user=p,
                role=Role.MEMBER,
                state=MembershipState.ACTIVE,
                created_at=now,
            )
            for p in rng.sample(people, 40)
        )
    # 50 posts through the service (the real path: revisions, events), the rest as live pages
    # added straight to the tree (a service call costs about a second on a loaded machine).
    posts = [
        blog_services.post_create(
            actor=people[i], title=sentence(rng, 6), body=sentence(rng, 120), publish=True
        )
        for i in range(50)
    ]
    for i in range(50, POSTS):
        author = people[i % 300]
        blog = blog_services.blog_ensure(actor=author)
        posts.append(
            blog.add_child(
                instance=PostPage(
                    title=sentence(rng, 6),
                    slug=f"post-{i}",
                    author=author,
                    body=[("paragraph", RichText(f"<p>{sentence(rng, 120)}</p>"))],
                    live=True,
                    first_published_at=now - timedelta(hours=i),
                )
            )
        )
        if i % 100 == 0:
            print(f"  posts: {i}", flush=True)
    remaining = items - 300 - 30 - POSTS
    thread_count = remaining // 5
    threads = Thread.objects.bulk_create(
        Thread(
            community=communities[i % 30],
            author=rng.choice(people),
            title=sentence(rng, 7),
            body=sentence(rng, 60),
            created_at=now - timedelta(minutes=i),
            last_activity_at=now - timedelta(minutes=i),
        )
        for i in range(thread_count)
    )
    thread_type, post_type = target_content_type(Thread), target_content_type(PostPage)
    comments = []
    for i in range(remaining - thread_count):
        on_thread = i % 2 == 0
        target = threads[i % len(threads)] if on_thread else posts[i % len(posts)]
        comments.append(
            Comment(
                content_type=thread_type if on_thread else post_type,
                object_id=target.pk,
                author=rng.choice(people),
                body=sentence(rng, 30),
                created_at=now - timedelta(minutes=i),
            )
        )
    Comment.objects.bulk_create(comments, batch_size=2000)
    print("  reindexing", flush=True)
    call_command("search_reindex")


def measure(client: Client, url: str, repeat: int) -> tuple[int, float, float, int]:
    times, queries, status = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        status, queries = response.status_code, len(captured)
    times.sort()
    return status, statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not SearchDocument.objects.exists():
        print(f"seeding {args.items} items", flush=True)
        start = time.perf_counter()
        seed(args.items)
        print(f"seeded in {time.perf_counter() - start:.0f} s", flush=True)
    print(f"documents: {SearchDocument.objects.count()}; load average: {os.getloadavg()}")
    if args.seed_only:
        return
    reader = (
        User.objects.filter(community_memberships__community__access=AccessMode.PRIVATE)
        .order_by("pk")
        .first()
    )
    setup_test_environment()  # the test client then keeps each response's context
    client = Client()
    client.force_login(reader)
    base = reverse("search:search")
    print("| search | status | results | median ms | p95 ms | SQL queries |")
    print("|---|---|---|---|---|---|")
    for label, query in SEARCHES:
        url = f"{base}?q={query}"
        response = client.get(url)  # warm the caches and read the count
        total = response.context["results"].total
        status, median, p95, queries = measure(client, url, args.repeat)
        print(
            f"| {label} (`{query}`) | {status} | {total} | {median:.1f} | {p95:.1f} | {queries} |"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
