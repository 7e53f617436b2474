"""What the load benchmark needs in its database: employees with sessions, a post, a
community, a thread and the URLs of the daily pages and of the writes (bench/load/run.py).

    python bench/load/seed.py own [--people 60 --posts 20 --communities 10]   # seed, then pick
    python bench/load/seed.py demo                                           # pick in the demo

`own` writes, through the services as the product does, a published charter accepted by every
employee (governance), blogs and posts, open communities with members and threads, and a
conversation on the post and the thread that are read. `demo` writes nothing but sessions: it
picks, in a database seeded by `manage.py seed_demo`, the demo employee `thomas.bernard` and
colleagues who accepted the charter, the most commented post, the thread with the most replies
and its community. Either way it prints one JSON line (`plan`) with the readers' and writers'
session keys and CSRF tokens, the pages and the write endpoints; separate targets are written
to, so the pages read keep their size during the run.
"""

from __future__ import annotations

import argparse
import json
import os
import string
import sys
import uuid
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from blogs import services as blogs  # noqa: E402
from blogs.models import PostPage  # noqa: E402
from communities import services as communities  # noqa: E402
from communities.models import Community, MembershipState, Thread  # noqa: E402
from governance import services as governance  # noqa: E402
from governance.selectors import charter_accepted, current_charter  # noqa: E402
from interactions import services as interactions  # noqa: E402
from interactions.models import Comment  # noqa: E402
from people.models import User  # noqa: E402
from people.services import user_create  # noqa: E402

CSRF_CHARS = string.ascii_letters + string.digits


def session_for(user: User) -> dict[str, str]:
    """A signed-in session of `user` in the configured session engine, and a CSRF token
    (the cookie's secret, which Django also accepts as the X-CSRFToken header)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {
        "user": user.username,
        "session": store.session_key or "",
        "csrf": get_random_string(32, CSRF_CHARS),
    }


def _person(prefix: str, i: int) -> User:
    return user_create(
        username=f"{prefix}.{i}",
        email=f"{prefix}.{i}@bench.test",
        first_name="Bench",
        last_name=f"Employee {i}",
        send_welcome=False,
    )


def seed_own(*, people: int, posts: int, communities_count: int, comments: int) -> dict[str, Any]:
    """Seed through the services; returns the plan (see the module docstring)."""
    prefix = f"load-{uuid.uuid4().hex[:6]}"
    admin = _person(prefix, 0)
    User.objects.filter(pk=admin.pk).update(is_superuser=True, is_community_manager=True)
    admin.refresh_from_db()
    charter = current_charter()
    if charter is None:
        charter = governance.charter_draft_save(
            actor=admin,
            data={
                "title_fr": "Charte",
                "title_en": "Charter",
                "body_fr": "Respect et bienveillance.",
                "body_en": "Respect and kindness.",
            },
        )
        charter = governance.charter_publish(actor=admin, charter=charter)
    staff = [admin, *(_person(prefix, i) for i in range(1, max(people, 4)))]
    for person in staff:
        governance.charter_accept(user=person, charter=charter)

    authors = staff[: max(2, min(8, len(staff) // 4))]
    made_posts = []
    for i in range(max(posts, 2)):
        author = authors[i % len(authors)]
        blogs.blog_ensure(actor=author)
        made_posts.append(
            blogs.post_create(
                actor=author,
                title=f"Billet {i} de {author.last_name}",
                body=f"Nouvelles de l'équipe, numéro {i}. " * 20,
                tags=["équipe", f"sujet-{i % 5}"],
                publish=True,
            )
        )
    made_communities = [
        communities.community_create(actor=admin, name=f"Communauté {i} {prefix}")
        for i in range(max(communities_count, 1))
    ]
    threads = []
    for c, community in enumerate(made_communities):
        members = staff[1:] if c == 0 else staff[1 + c % 3 :: 3]
        for person in members:
            communities.community_join(actor=person, community=community)
        for t in range(3 if c else 4):
            threads.append(
                communities.thread_create(
                    actor=members[t % len(members)],
                    community=community,
                    kind="discussion",
                    title=f"Discussion {t} de la communauté {c}",
                    body="Qu'en pensez-vous ? " * 10,
                )
            )
    post, thread = made_posts[-1], threads[0]
    for target in (post, thread):
        for i in range(comments):
            comment = interactions.comment_create(
                author=staff[1 + i % (len(staff) - 1)],
                target=target,
                body=f"Commentaire {i} : merci @{staff[1 + (i + 1) % (len(staff) - 1)].username}.",
            )
            for reactor in staff[1:4]:
                interactions.reaction_toggle(user=reactor, target=comment, kind="like")
    readers, writers = staff[1 : 1 + max(1, len(staff) // 2)], staff[len(staff) // 2 :]
    return _plan(
        readers=readers,
        writers=writers,
        post=post,
        write_post=made_posts[-2],
        community=made_communities[0],
        thread=thread,
        write_thread=threads[1],
    )


def pick_demo(*, readers_count: int = 10) -> dict[str, Any]:
    """Pick the plan in a database seeded by `seed_demo` (writes only sessions)."""
    charter = current_charter()
    people = [
        u
        for u in User.objects.filter(is_active=True, is_superuser=False).order_by("username")
        if charter is None or charter_accepted(u, charter=charter)
    ]
    people.sort(key=lambda u: u.username != "thomas.bernard")  # the demo employee first
    if not people:
        raise SystemExit("no employee in this database: run `manage.py seed_demo` first")
    posts = list(PostPage.objects.live().order_by("-first_published_at")[:60])
    posts = [p for p in posts if p.interaction_visible_to(people[0])]
    comment_counts = {p.pk: interactions_count(p) for p in posts}
    posts.sort(key=lambda p: -comment_counts[p.pk])
    joined = Community.objects.filter(
        memberships__user=people[0], memberships__state=MembershipState.ACTIVE
    )
    threads = list(
        Thread.objects.filter(deleted_at__isnull=True, locked=False, community__in=joined).order_by(
            "-reply_count"
        )[:2]
    )
    if len(posts) < 2 or len(threads) < 2:
        raise SystemExit("the demo has too few posts or threads for this employee")
    thread, write_thread = threads
    members = [
        u
        for u in people
        if thread.interaction_visible_to(u)
        and write_thread.interaction_can_comment(u)
        and posts[1].interaction_can_comment(u)
    ]
    return _plan(
        readers=members[:readers_count],
        writers=members[:readers_count],
        post=posts[0],
        write_post=posts[1],
        community=thread.community,
        thread=thread,
        write_thread=write_thread,
    )


def interactions_count(post: PostPage) -> int:
    kind = ContentType.objects.get_for_model(PostPage)
    return Comment.objects.filter(content_type=kind, object_id=post.pk).count()


def _plan(*, readers, writers, post, write_post, community, thread, write_thread) -> dict[str, Any]:
    return {
        "readers": [session_for(u) for u in readers],
        "writers": [session_for(u) for u in writers],
        "pages": {
            "home": "/",
            "post": post.get_absolute_url(),
            "community": community.get_absolute_url(),
            "thread": thread.get_absolute_url(),
            "people": "/people/",
        },
        "writes": {
            "comment on a post": f"/interactions/post/{write_post.pk}/comments/",
            "reply in a thread": f"/interactions/thread/{write_thread.pk}/comments/",
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", choices=["own", "demo"])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--communities", type=int, default=10)
    parser.add_argument("--comments", type=int, default=30)
    args = parser.parse_args()
    if args.database == "own":
        plan = seed_own(
            people=args.people,
            posts=args.posts,
            communities_count=args.communities,
            comments=args.comments,
        )
    else:
        plan = pick_demo()
    print("plan " + json.dumps(plan))


if __name__ == "__main__":
    main()
