"""Two people, two browsers: a question appears live, is answered, the answer accepted, and the
notification counts move without reload."""

import re

import pytest
from playwright.sync_api import expect

from communities.models import AccessMode, Role, Thread
from interactions.models import Comment
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_content_types(live_server_url):
    # Earlier transactional tests flushed and recreated the content types (SQLite reuses
    # their ids differently): the process-wide cache would point comments at a stale id.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def test_question_shows_live_is_answered_and_accepted(new_page, employee, colleague, password):
    community = CommunityFactory(
        name="Clients d'abord", slug="clients-dabord", access=AccessMode.OPEN
    )
    MembershipFactory(community=community, user=employee, role=Role.MANAGER)
    MembershipFactory(community=community, user=colleague)

    asker = new_page()
    log_in(asker, employee.username, password)
    helper = new_page()
    log_in(helper, colleague.username, password)

    helper.goto(community.get_absolute_url())
    expect(helper.get_by_text("No thread yet")).to_be_visible()
    asker.goto(community.get_absolute_url())
    # Both pages are open: each sees two people viewing.
    expect(helper.locator("[data-live-viewers]")).to_contain_text("2 viewing now")

    asker.get_by_label("Question").check()
    asker.get_by_label("Title").fill("Who handles returns from business customers?")
    asker.get_by_label("Text").fill("Logistics or after-sales service?")
    asker.get_by_test_id("thread-submit").click()
    expect(asker).to_have_url(re.compile(r"/communities/clients-dabord/threads/\d+/$"))
    thread = Thread.objects.get()

    # The helper's open page shows the new question without reload.
    row = helper.locator(f"[data-thread-id='{thread.pk}']")
    expect(row).to_contain_text("Who handles returns from business customers?")
    expect(row).to_contain_text("Question")
    expect(asker.get_by_test_id("unread-count")).to_be_hidden()

    row.get_by_role("link").click()
    helper.get_by_label("Your reply to the thread").fill(
        "Logistics, and after-sales tells the client."
    )
    helper.get_by_role("button", name="Publish").click()
    expect(helper.locator(".comment-body").first).to_contain_text("Logistics")

    # The asker's page, still open, receives the answer and the unread count, without reload.
    answer = Comment.objects.get()
    expect(asker.locator(f"#comment-{answer.pk}")).to_contain_text("after-sales tells the client")
    expect(asker.get_by_test_id("unread-count")).to_have_text("1")

    asker.reload()
    asker.get_by_test_id(f"accept-{answer.pk}").click()
    expect(asker.get_by_test_id("accepted-answer")).to_contain_text("Logistics")
    expect(asker.get_by_test_id("question-state")).to_have_text("Answered")

    # The helper's thread page learns it live: question answered, one more notification.
    expect(helper.get_by_test_id("question-state")).to_have_text("Answered")
    expect(helper.get_by_test_id("unread-count")).to_have_text("1")
