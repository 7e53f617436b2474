"""Notifications journey: a colleague comments on my post, my open page's badge counts it
without reload, the centre takes me to the comment, and the e-mail's link unsubscribes me
from a browser with no session."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from notifications.models import Mute
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_badge_updates_live_centre_opens_the_comment_and_email_unsubscribes(
    new_page, employee, colleague, password, mailoutbox
):
    from blogs import services as blogs

    post = blogs.post_create(
        actor=employee,
        title="Le conseil des community managers",
        body="Nous nous réunissons chaque mois.",
        publish=True,
    )

    me = new_page()
    log_in(me, employee.username, password)
    me.goto("/notifications/settings/")
    badge = me.get_by_test_id("unread-count")
    expect(badge).to_be_hidden()

    other = new_page()
    log_in(other, colleague.username, password)
    other.goto(post.url)
    other.get_by_label("Your comment").fill("Je viendrai à la prochaine réunion.")
    other.get_by_role("button", name="Publish", exact=True).click()
    expect(other.locator(".comment-body").first).to_contain_text("Je viendrai")

    # My page, still open, counts it without reload.
    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()

    me.get_by_test_id("notifications-link").click()
    entry = me.get_by_role(
        "link", name="Marc Petit commented on “Le conseil des community managers”"
    )
    entry.click()
    expect(me).to_have_url(re.compile(re.escape(post.url) + "#"))
    expect(me.get_by_test_id("unread-count")).to_be_hidden()

    # The e-mail reached me, with a way out that works without signing in.
    to_me = [m for m in mailoutbox if employee.email in m.to]
    assert len(to_me) == 1
    link = to_me[0].extra_headers["List-Unsubscribe"][1:-1]
    path = link.split("://", 1)[1].split("/", 1)[1]
    stranger = new_page()
    stranger.goto("/" + path)
    stranger.get_by_test_id("confirm-unsubscribe").click()
    expect(stranger.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    expect(stranger.get_by_role("link", name="notification settings")).to_be_visible()
    assert Mute.objects.filter(user=employee, object_id=post.pk).exists()
