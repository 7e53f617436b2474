"""The home feed shows the activity of your communities, never of private ones you left."""

from __future__ import annotations

import pytest

from communities import services
from governance.services import content_hide
from tests.communities.factories import ThreadFactory

pytestmark = pytest.mark.django_db


def test_home_feed_shows_threads_of_my_communities_only(
    client, employee, outsider, manager, private_community, open_community
):
    ThreadFactory(community=private_community, author=manager, title="Council agenda")
    ThreadFactory(community=open_community, author=manager, title="Open news")
    client.force_login(employee)
    page = client.get("/").content.decode()
    assert "Council agenda" in page and "Open news" in page
    client.force_login(outsider)
    page = client.get("/").content.decode()
    assert "Council agenda" not in page and "Open news" not in page

    membership = private_community.memberships.get(user=employee)
    services.member_remove(actor=manager, membership=membership)
    client.force_login(employee)
    assert "Council agenda" not in client.get("/").content.decode()


def test_hidden_threads_leave_the_feed(client, employee, manager, open_community):
    thread = ThreadFactory(community=open_community, author=manager, title="Off topic")
    content_hide(actor=manager, obj=thread, reason="Hors charte")
    client.force_login(employee)
    assert "Off topic" not in client.get("/").content.decode()


def test_the_feed_cache_never_shows_a_private_thread_to_a_non_member(
    client, employee, outsider, manager, private_community, django_assert_max_num_queries
):
    """Page 1 comes from the per-reader cache; visibility stays exact through it."""
    client.force_login(outsider)
    client.get("/")  # the outsider's page 1 is cached now
    ThreadFactory(community=private_community, author=manager, title="Secret agenda")
    services.thread_create(
        actor=manager,
        community=private_community,
        kind="discussion",
        title="Council minutes",
        body="Texte",
    )
    for _ in range(2):  # built again after the write, then served from the cache
        assert "Council minutes" not in client.get("/").content.decode()
    client.force_login(employee)
    assert "Council minutes" in client.get("/").content.decode()  # a member sees it at once
    with django_assert_max_num_queries(10):
        assert "Council minutes" in client.get("/").content.decode()  # from the cache

    # Leaving takes the community's threads out of the cached page at once.
    services.community_leave(actor=employee, community=private_community)
    assert "Council minutes" not in client.get("/").content.decode()


def test_joining_shows_the_threads_at_once(client, outsider, manager, open_community):
    services.thread_create(
        actor=manager, community=open_community, kind="discussion", title="Bienvenue", body="x"
    )
    client.force_login(outsider)
    assert "Bienvenue" not in client.get("/").content.decode()
    services.community_join(actor=outsider, community=open_community)
    assert "Bienvenue" in client.get("/").content.decode()
