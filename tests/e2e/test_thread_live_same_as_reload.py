"""Live means the same as a reload (issue 13, item 3): two browsers on a thread; a reply that
arrives over the websocket has the same Reply, reactions and Accept buttons, in the same HTML
structure, as the same page reloaded; the viewer count drops within 5 s of the other page
closing; locking the thread closes the open reply forms live."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from communities import services
from communities.models import AccessMode, Role
from interactions.models import Comment
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# The structure of a reply as the page shows it: every element's tag, classes, test id, name
# and type, and the buttons' and summaries' text (tokens and times left out).
SHAPE = """
(id) => {
  const li = document.getElementById(`comment-${id}`);
  if (!li) return null;
  const nodes = [li, ...li.querySelectorAll("*")];
  const next = li.nextElementSibling;
  if (next && next.classList.contains("accept-answer")) {
    nodes.push(next, ...next.querySelectorAll("*"));
  }
  return nodes.map((el) => [
    el.tagName,
    Array.from(el.classList).filter((c) => c !== "live-new").sort().join(" "),
    el.dataset.testid || "",
    el.getAttribute("name") || "",
    el.getAttribute("type") || "",
    ["BUTTON", "SUMMARY", "LABEL"].includes(el.tagName) ? el.textContent.trim() : "",
  ].join("|"));
}
"""


@pytest.fixture(autouse=True)
def _fresh_content_types(live_server_url):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def test_live_reply_viewers_and_lock(new_page, employee, colleague, password):
    community = CommunityFactory(name="Qualité", slug="qualite", access=AccessMode.OPEN)
    MembershipFactory(community=community, user=employee, role=Role.MANAGER)
    MembershipFactory(community=community, user=colleague)
    thread = services.thread_create(
        actor=employee,
        community=community,
        kind="question",
        title="Which supplier for the new cartons?",
        body="We need an answer this week.",
    )

    asker = new_page()
    log_in(asker, employee.username, password)
    helper = new_page()
    log_in(helper, colleague.username, password)
    asker.goto(thread.get_absolute_url())
    helper.goto(thread.get_absolute_url())
    expect(asker.locator("[data-live-viewers]")).to_contain_text("2 viewing now")

    helper.get_by_label("Your reply to the thread").fill("The one in Lyon, they deliver in 48 h.")
    helper.get_by_role("button", name="Publish").click()
    expect(helper.locator(".comment-body").first).to_contain_text("Lyon")
    reply = Comment.objects.get()

    # The asker's page, still open, shows the reply live with its buttons...
    live = asker.locator(f"#comment-{reply.pk}")
    expect(live).to_contain_text("they deliver in 48 h")
    expect(live.locator("summary", has_text="Reply")).to_be_visible()
    expect(live.locator("[data-interactions-reactions]")).to_be_attached()
    expect(asker.get_by_test_id(f"accept-{reply.pk}")).to_be_visible()
    live_shape = asker.evaluate(SHAPE, reply.pk)
    # ...exactly as the same page reloaded.
    asker.reload()
    expect(asker.locator(f"#comment-{reply.pk}")).to_be_visible()
    assert asker.evaluate(SHAPE, reply.pk) == live_shape

    # The helper's page closes: the asker's count drops within 5 s.
    expect(asker.locator("[data-live-viewers]")).to_contain_text("2 viewing now")
    helper.close()
    expect(asker.locator("[data-live-viewers]")).to_contain_text("1 viewing now", timeout=5000)

    # A reader is typing a reply; the manager locks the thread: the forms close live.
    reader = new_page()
    log_in(reader, colleague.username, password)
    reader.goto(thread.get_absolute_url())
    reader.get_by_label("Your reply to the thread").fill("Half a thought")
    expect(reader.locator("details.comment-reply")).to_have_count(1)
    asker.get_by_test_id("lock-toggle").click()
    expect(reader.get_by_test_id("reply-refused")).to_contain_text("locked")
    expect(reader.locator("#comment-form")).to_have_count(0)
    expect(reader.locator("details.comment-reply")).to_have_count(0)
    expect(reader.locator("#comment-refused-text")).to_have_value("Half a thought")
    # aria-live stays on the live viewer count and on the live list once phone adds it there.
    expect(reader.locator("[data-live-viewers]")).to_have_attribute("aria-live", "polite")
