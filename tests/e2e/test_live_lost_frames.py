"""Nothing is lost for a person even if a frame is (issue 12, item 4): the browser's websocket
is routed through Playwright, which drops chosen frames from the server on purpose. The page
notices the gap in the sequence numbers (the next frame, or the next heartbeat's viewer count
when the lost frame was the last one) and re-syncs from the server: the missed reply, and the
missed edit of an older reply, appear without reload."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from communities import services
from communities.live import current_seq, thread_group
from communities.models import AccessMode
from interactions import services as interactions
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fresh_content_types(live_server_url):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def elsewhere(write, **kwargs):
    """Run a service in another thread, as another person's request would: Playwright's sync
    API keeps an event loop in the test's thread, where the broadcast's async_to_sync refuses
    to run."""
    from django.db import connections

    def call():
        try:
            return write(**kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


class FrameDropper:
    """Forwards the page's websocket both ways, except the server frames `drop` says no to."""

    def __init__(self) -> None:
        self.drop_next: set[str] = set()  # frame types to drop, once each
        self.dropped: list[dict] = []
        self.syncs: list[dict] = []

    def route(self, ws) -> None:
        server = ws.connect_to_server()

        def to_server(message) -> None:
            data = json.loads(message)
            if data.get("type") == "sync":
                self.syncs.append(data)
            server.send(message)

        def to_page(message) -> None:
            data = json.loads(message)
            if data.get("type") in self.drop_next:
                self.drop_next.discard(data["type"])
                self.dropped.append(data)
                return
            ws.send(message)

        ws.on_message(to_server)
        server.on_message(to_page)


def test_a_page_catches_up_on_frames_dropped_on_purpose(new_page, employee, colleague, password):
    community = CommunityFactory(name="Logistique", slug="logistique", access=AccessMode.OPEN)
    MembershipFactory(community=community, user=employee)
    MembershipFactory(community=community, user=colleague)
    thread = elsewhere(
        services.thread_create,
        actor=employee,
        community=community,
        kind="discussion",
        title="Palettes for the Lyon warehouse",
        body="Who orders them?",
    )
    dropper = FrameDropper()
    reader = new_page()
    log_in(reader, colleague.username, password)
    reader.route_web_socket("**/ws/communities/threads/**", dropper.route)
    page_seq = current_seq(thread_group(thread.pk))
    reader.goto(thread.get_absolute_url())
    expect(reader.locator("[data-live-viewers]")).to_contain_text("1 viewing now")
    # On connecting, the page asks for what followed the number it was rendered at.
    assert dropper.syncs and dropper.syncs[0]["seq"] == page_seq

    # 1. A reply's frame is lost; the next reply's frame shows the gap: both appear.
    dropper.drop_next = {"reply.created"}
    first = elsewhere(
        interactions.comment_create, author=employee, target=thread, body="Purchasing does."
    )
    second = elsewhere(
        interactions.comment_create, author=employee, target=thread, body="Ask Karim."
    )
    expect(reader.locator(f"#comment-{second.pk}")).to_contain_text("Ask Karim.")
    expect(reader.locator(f"#comment-{first.pk}")).to_contain_text("Purchasing does.")
    assert [d["reply"]["id"] for d in dropped_of(dropper, "reply.created")] == [first.pk]
    # It asked again, from the last number it had applied: the one before the lost frame.
    assert len(dropper.syncs) >= 2 and dropper.syncs[-1]["seq"] == page_seq
    expect(reader.locator(f"#comment-{first.pk}")).to_have_count(1)  # not placed twice

    # 2. The last frame (an edit of an older reply) is lost and nothing follows it: the next
    # heartbeat's viewer count carries the group's number, and the page re-syncs the edit.
    dropper.drop_next = {"reply.changed"}
    elsewhere(
        interactions.comment_edit, editor=employee, comment=first, body="Purchasing, from Monday."
    )
    expect(reader.locator(f"#comment-{first.pk}")).to_contain_text(
        "Purchasing, from Monday.", timeout=15_000
    )
    assert [d["reply"]["id"] for d in dropped_of(dropper, "reply.changed")] == [first.pk]

    # What the page shows after catching up is what a reload shows (the order aside: a reload
    # lists the replies in the page's own order).
    shown = sorted(reader.locator("[data-live-replies] li.comment").all_inner_texts())
    reader.reload()
    expect(reader.locator(f"#comment-{second.pk}")).to_be_visible()
    assert sorted(reader.locator("[data-live-replies] li.comment").all_inner_texts()) == shown


def dropped_of(dropper: FrameDropper, kind: str) -> list[dict]:
    return [d for d in dropper.dropped if d["type"] == kind]
