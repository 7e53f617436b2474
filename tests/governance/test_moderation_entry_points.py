"""One moderation path (issue 9): every kind of content, hidden from every place it can be hidden
from, leaves the same traces: one audit row `<kind>.hidden` with who and why, one notification
to its author carrying the reason, the content gone for a colleague, and (for what lives on a
thread page) one live event on commit. Each entry point is driven the way a person drives it:
the queue and the pages through their URLs, not through the service they call.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading

import pytest
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from activity.models import ParticipationEvent
from blogs import services as blog_services
from communities.live import thread_group
from console import services as console_services
from core import content
from core.refusals import Refusal
from governance.models import AuditEntry
from governance.services import content_hide
from interactions.services import comment_create
from notifications.models import Notification

pytestmark = pytest.mark.django_db

REASON = "Propos contraires à la charte."


@pytest.fixture
def post(colleague):
    return blog_services.post_create(
        actor=colleague, title="Un billet contesté", body="Texte du billet", publish=True
    )


@pytest.fixture
def comment(post, colleague):
    return comment_create(author=colleague, target=post, body="Un commentaire déplacé")


# (kind, the fixture giving the content, who moderates it)
KINDS = [
    ("post", "post", "administrator"),
    ("comment", "comment", "administrator"),
    ("thread", "thread", "manager"),
    ("reply", "reply", "manager"),
]


def _hide_by_service(client, obj, moderator, reporter):
    content_hide(actor=moderator, obj=obj, reason=REASON)


def _hide_from_the_queue(client, obj, moderator, reporter):
    kind = content.kind_for(obj).key
    report, _created = console_services.report_create(
        reporter=reporter, kind=kind, object_id=obj.pk, reason="disrespect"
    )
    client.force_login(moderator)
    url = reverse("governance:moderation_decide", args=[report.pk, "hide"])
    assert client.post(url, {"note": REASON}).status_code == 302


def _hide_from_its_page(client, obj, moderator, reporter):
    """The button on the content itself: Wagtail's admin for a post, the comment menu for a
    comment or reply, the thread page's Hide form for a thread."""
    client.force_login(moderator)
    kind = content.kind_for(obj).key
    if kind == "post":
        url = reverse("blogs_post_moderate", args=[obj.pk])
    elif kind == "thread":
        url = reverse("communities:thread_hide", args=[obj.community.slug, obj.pk])
    else:
        url = reverse("interactions:comment_hide", args=[obj.pk])
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 302, response.content[:500]


ENTRY_POINTS = {
    "service": _hide_by_service,
    "queue": _hide_from_the_queue,
    "page": _hide_from_its_page,
}


class _Listener:
    """A live page's subscription to `group`, on an event loop of its own: the pub/sub channel
    layer delivers only to subscriptions alive when the broadcast is published, so the page
    must be listening while the moderation commits, as a browser's socket is."""

    def __init__(self, group: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.received: queue.Queue = queue.Queue()
        self.layer = get_channel_layer()
        self.channel = self._run(self.layer.new_channel())
        self._run(self.layer.group_add(group, self.channel))
        self.task = self._run(self._start())

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    async def _start(self) -> asyncio.Task:
        async def forward() -> None:
            while True:
                self.received.put(await self.layer.receive(self.channel))

        async def tick() -> None:
            # Without REDIS_URL the in-memory layer is fed from the writer's thread, which
            # cannot wake this loop: a short timer lets it see the message.
            while True:
                await asyncio.sleep(0.05)

        self.ticker = asyncio.ensure_future(tick())
        return asyncio.ensure_future(forward())

    def next_message(self, timeout: float = 2.0):
        try:
            return self.received.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        async def stop() -> None:
            for task in (self.task, self.ticker):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await self.layer.flush()

        self._run(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.mark.parametrize("entry_point", list(ENTRY_POINTS))
@pytest.mark.parametrize(("kind_key", "fixture", "moderator_fixture"), KINDS)
def test_every_kind_from_every_entry_point_leaves_the_same_traces(
    request, client, employee, colleague, kind_key, fixture, moderator_fixture, entry_point,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    obj = request.getfixturevalue(fixture)
    moderator = request.getfixturevalue(moderator_fixture)
    assert content.kind_for(obj).key == kind_key
    assert content.visible_to(employee, obj)
    events_before = ParticipationEvent.objects.count()
    live = None
    if kind_key in ("thread", "reply"):
        thread = obj if kind_key == "thread" else obj.target
        live = _Listener(thread_group(thread.pk))

    with django_capture_on_commit_callbacks(execute=True):
        ENTRY_POINTS[entry_point](client, obj, moderator, employee)

    obj.refresh_from_db()
    assert obj.hidden_at is not None
    assert obj.hidden_by_id == moderator.pk
    assert obj.hidden_reason == REASON
    audit = AuditEntry.objects.filter(action=f"{kind_key}.hidden", target_id=str(obj.pk))
    assert audit.count() == 1
    entry = audit.get()
    assert entry.actor_id == moderator.pk
    assert entry.before["hidden_at"] is None
    assert entry.after["reason"] == REASON
    told = Notification.objects.filter(recipient=colleague, kind="moderation")
    assert told.count() == 1
    assert REASON in told.get().summary
    # Hiding is moderation, not participation: no event is counted for it.
    assert ParticipationEvent.objects.count() == events_before
    assert content.kind_for(obj).is_hidden(obj)
    if live is not None:
        message = live.next_message()
        live.close()
        assert message is not None, "no live event reached the thread page"
        assert message["type"] == "live.event"
        assert message["event"] in ("thread.changed", "reply.changed")


@pytest.mark.parametrize(("kind_key", "fixture", "moderator_fixture"), KINDS)
def test_someone_who_may_not_moderate_is_refused_and_nothing_is_written(
    request, employee, colleague, kind_key, fixture, moderator_fixture
):
    obj = request.getfixturevalue(fixture)
    with pytest.raises(PermissionDenied):
        content_hide(actor=employee, obj=obj, reason=REASON)
    obj.refresh_from_db()
    assert obj.hidden_at is None
    assert not AuditEntry.objects.filter(action=f"{kind_key}.hidden").exists()
    assert not Notification.objects.filter(kind="moderation").exists()


@pytest.mark.parametrize(("kind_key", "fixture", "moderator_fixture"), KINDS)
def test_a_hide_without_a_reason_is_refused_and_nothing_is_written(
    request, kind_key, fixture, moderator_fixture
):
    obj = request.getfixturevalue(fixture)
    moderator = request.getfixturevalue(moderator_fixture)
    with pytest.raises(Refusal) as refused:
        content_hide(actor=moderator, obj=obj, reason="  \x00 ")
    assert refused.value.field == "reason"
    obj.refresh_from_db()
    assert obj.hidden_at is None
    assert not AuditEntry.objects.filter(action=f"{kind_key}.hidden").exists()
