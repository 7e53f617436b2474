"""Every daily page runs at most 15 SQL queries, and the same number with 10× more content.

Each page is seeded with realistic content at scale n and 10×n (several authors, posts with
tags, comments, replies, mentions, reactions, community memberships and threads,
notifications), then loaded twice as a signed-in employee: the first load warms the
per-process caches (site root, content types), the second is counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blogs import services as blog_services
from communities.models import AccessMode, Role
from interactions import services as interaction_services
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.factories import ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db

BUDGET = 15
SMALL = 2
LARGE = 10 * SMALL


@dataclass
class Seeded:
    urls: dict[str, str]


def _seed(employee, n: int, prefix: str) -> Seeded:
    writers = [UserFactory(username=f"{prefix}writer{k}") for k in range(n)]
    executive = ExecutiveFactory(username=f"{prefix}exec")
    mention = f"@{employee.username}"
    first_post = None
    for k, writer in enumerate(writers):
        post = blog_services.post_create(
            actor=writer,
            title=f"Billet {k}",
            body=f"Texte du billet {k} pour {mention}.",
            tags=["projet", f"sujet-{k % 3}"],
            publish=True,
        )
        first_post = first_post or post
        blog_services.follow_create(actor=employee, person=writer)
    blog_services.post_create(
        actor=executive, title="Mot de la direction", body="Bonjour.", publish=True
    )
    # The post under test gets n comments, each with a reply, a mention and reactions.
    for k in range(n):
        author = writers[k % len(writers)]
        comment = interaction_services.comment_create(
            author=author, target=first_post, body=f"Question {k} pour {mention} ?"
        )
        interaction_services.comment_create(
            author=writers[(k + 1) % len(writers)],
            target=first_post,
            body="Réponse",
            parent=comment,
        )
        interaction_services.reaction_toggle(user=author, target=comment, kind="like")
        interaction_services.reaction_toggle(user=author, target=first_post, kind="like")

    from communities import services as community_services

    community = CommunityFactory(access=AccessMode.OPEN, slug=f"{prefix}club", name=f"{prefix}Club")
    MembershipFactory(community=community, user=writers[0], role=Role.MANAGER)
    MembershipFactory(community=community, user=employee)
    for writer in writers[1:]:
        MembershipFactory(community=community, user=writer)
    first_thread = None
    for k, writer in enumerate(writers):
        thread = community_services.thread_create(
            actor=writer,
            community=community,
            kind="discussion",
            title=f"Discussion {k}",
            body=f"Sujet {k} pour {mention}",
        )
        first_thread = first_thread or thread
    for k in range(n):
        author = writers[k % len(writers)]
        reply = interaction_services.comment_create(
            author=author, target=first_thread, body=f"Réponse {k} à {mention}"
        )
        interaction_services.reaction_toggle(user=author, target=reply, kind="like")
    # Other people's private community: never shown, and never counted.
    secret = CommunityFactory(
        access=AccessMode.PRIVATE, slug=f"{prefix}secret", name=f"{prefix}Secret"
    )
    MembershipFactory(community=secret, user=writers[0], role=Role.MANAGER)
    return Seeded(
        urls={
            "home": "/",
            "post": first_post.url,
            "blog_index": "/blogs/",
            "community": f"/communities/{community.slug}/",
            "thread": f"/communities/{community.slug}/threads/{first_thread.pk}/",
            "people": "/people/",
            "profile": f"/people/{writers[0].username}/",
            "leadership": "/leadership/",
            "search": "/search/?q=Billet",
            "notifications": "/notifications/",
        }
    )


PAGES = [
    "home",
    "post",
    "blog_index",
    "community",
    "thread",
    "people",
    "profile",
    "leadership",
    "search",
    "notifications",
]


def _count(client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_stays_within_budget_and_flat(client, employee, page):
    client.force_login(employee)
    small = _count(client, _seed(employee, SMALL, "a").urls[page])
    # 10× the content again (11× in all): the page under test is the new, bigger one.
    large = _count(client, _seed(employee, LARGE, "b").urls[page])
    print(f"QUERIES {page}: n={SMALL} {small}, n={LARGE} {large}")
    assert small <= BUDGET, f"{page} ran {small} queries with n={SMALL}"
    assert large <= BUDGET, f"{page} ran {large} queries with n={LARGE}"
    assert large <= small, f"{page}: {small} queries grew to {large} with 10x the content"


def test_cached_route_step_follows_an_unpublished_section(client, employee):
    """The home page caches its section pages for routing: unpublishing one must take effect
    at once (the cache is versioned by every page save), so nothing hidden is served."""
    from blogs.models import LeadershipPage

    client.force_login(employee)
    assert client.get("/leadership/").status_code == 200  # now cached
    LeadershipPage.objects.get().unpublish()
    assert client.get("/leadership/").status_code == 404
    assert client.get("/nowhere/").status_code == 404
