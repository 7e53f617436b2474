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
