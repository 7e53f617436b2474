"""Live community and thread pages through the real ASGI application (session cookie, Origin
check, routing), on the configured channel layer: Redis when REDIS_URL is set (CI), in memory
otherwise. Broadcasts happen only after commit, and a removed member stops hearing at once.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client

from communities import services
from communities.models import Membership
from governance.services import content_hide
from ruche.asgi import application
from tests.communities.factories import ThreadFactory
from tests.conftest import REDIS_URL, needs_redis

pytestmark = pytest.mark.django_db(transaction=True)


def _session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}".encode()


async def _connect(path: str, user=None, origin: bytes = b"http://testserver"):
    headers = [(b"origin", origin)]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(_session_cookie)(user)))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def _open(path: str, user) -> WebsocketCommunicator:
    """Connect and consume the first viewers frame."""
    communicator, connected, code = await _connect(path, user)
    assert connected, code
    first = await communicator.receive_json_from(timeout=3)
    assert first["type"] == "viewers"
    return communicator


def community_path(community) -> str:
    return f"/ws/communities/{community.pk}/"


def thread_path(thread) -> str:
    return f"/ws/communities/threads/{thread.pk}/"


async def _next_of_type(communicator, kind: str, timeout: float = 3):
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


# --- Connecting -------------------------------------------------------------------------------


async def test_anonymous_sockets_are_refused(open_community):
    _, connected, code = await _connect(community_path(open_community))
    assert not connected and code == 4401


async def test_foreign_origin_is_refused(open_community, employee):
    _, connected, _ = await _connect(
        community_path(open_community), employee, origin=b"https://evil.example"
    )
    assert not connected


async def test_private_community_and_its_threads_refuse_outsiders(
    private_community, employee, outsider
):
    thread = await sync_to_async(ThreadFactory)(community=private_community, author=employee)
    for path in (community_path(private_community), thread_path(thread)):
        _, connected, code = await _connect(path, outsider)
        assert not connected and code == 4403, path
    _, connected, code = await _connect("/ws/communities/999999/", outsider)
    assert not connected and code == 4403


async def test_hidden_thread_socket_refuses_ordinary_readers(open_community, employee, colleague):
    from django.utils import timezone

    thread = await sync_to_async(ThreadFactory)(
        community=open_community, author=employee, hidden_at=timezone.now()
    )
    _, connected, code = await _connect(thread_path(thread), colleague)
    assert not connected and code == 4403


# --- Broadcasts -------------------------------------------------------------------------------


async def test_a_new_thread_reaches_the_open_community_page_after_commit(
    open_community, employee, manager
):
    watcher = await _open(community_path(open_community), manager)

    def create_and_check_nothing_before_commit():
        with transaction.atomic():
            thread = services.thread_create(
                actor=employee,
                community=open_community,
                kind="question",
                title="Qui gère les retours ?",
                body="Le service client ou la logistique ?",
            )
            # Written but not committed: nobody has heard of it.
            assert async_to_sync(watcher.receive_nothing)(timeout=0.3)
        return thread

    thread = await sync_to_async(create_and_check_nothing_before_commit)()
    message = await _next_of_type(watcher, "thread.created")
    assert message["thread"]["id"] == thread.pk
    assert message["thread"]["title"] == "Qui gère les retours ?"
    assert message["thread"]["kind"] == "question"
    await watcher.disconnect()


async def test_a_rolled_back_thread_is_never_broadcast(open_community, employee, manager):
    watcher = await _open(community_path(open_community), manager)

    class Abort(Exception):
        pass

    def create_then_fail():
        with pytest.raises(Abort), transaction.atomic():
            services.thread_create(
                actor=employee, community=open_community, kind="discussion", title="x", body="y"
            )
            raise Abort

    await sync_to_async(create_then_fail)()
    assert await watcher.receive_nothing(timeout=0.5)
    await watcher.disconnect()


async def test_thread_changes_reach_the_thread_page_and_hidden_text_never_travels(
    open_community, employee, manager
):
    thread = await sync_to_async(ThreadFactory)(
        community=open_community, author=employee, title="Secret draft"
    )
    watcher = await _open(thread_path(thread), employee)
    await sync_to_async(services.thread_lock)(actor=manager, thread=thread, locked=True)
    message = await _next_of_type(watcher, "thread.changed")
    assert message["thread"]["locked"] is True
    await sync_to_async(content_hide)(actor=manager, obj=thread, reason="Hors charte")
    message = await _next_of_type(watcher, "thread.changed")
    assert message["thread"] == {"id": thread.pk, "hidden": True}
    await watcher.disconnect()


async def test_viewers_are_counted_per_person(open_community, employee, colleague):
    first = await _open(community_path(open_community), employee)
    second = await _open(community_path(open_community), colleague)
    assert (await _next_of_type(first, "viewers"))["count"] == 2
    same_person_again = await _open(community_path(open_community), colleague)
    assert (await _next_of_type(first, "viewers"))["count"] == 2  # distinct people, not tabs
    await same_person_again.disconnect()
    await second.disconnect()
    assert (await _next_of_type(first, "viewers"))["count"] == 2
    assert (await _next_of_type(first, "viewers"))["count"] == 1
    await first.disconnect()


# --- Removal ----------------------------------------------------------------------------------


async def test_a_removed_member_stops_receiving_at_once(private_community, employee, manager):
    thread = await sync_to_async(ThreadFactory)(community=private_community, author=manager)
    page = await _open(community_path(private_community), employee)
    thread_page = await _open(thread_path(thread), employee)
    manager_page = await _open(community_path(private_community), manager)

    membership = await sync_to_async(Membership.objects.get)(
        community=private_community, user=employee
    )
    await sync_to_async(services.member_remove)(actor=manager, membership=membership)

    for communicator in (page, thread_page):
        assert (await _next_of_type(communicator, "revoked"))["type"] == "revoked"
        closed = await communicator.receive_output(timeout=3)
        assert closed == {"type": "websocket.close", "code": 4403}

    await sync_to_async(services.thread_create)(
        actor=manager, community=private_community, kind="discussion", title="After", body="x"
    )
    message = await _next_of_type(manager_page, "thread.created")
    assert message["thread"]["title"] == "After"
    # The removed member's sockets are closed and out of every group: nothing more arrives.
    assert await page.receive_nothing(timeout=0.3)
    # And they cannot come back.
    _, connected, code = await _connect(community_path(private_community), employee)
    assert not connected and code == 4403
    await manager_page.disconnect()


async def test_leaving_an_open_community_keeps_reading_it(open_community, employee, manager):
    page = await _open(community_path(open_community), employee)
    await sync_to_async(services.community_leave)(actor=employee, community=open_community)
    await sync_to_async(services.thread_create)(
        actor=manager, community=open_community, kind="discussion", title="Still here", body="x"
    )
    message = await _next_of_type(page, "thread.created")
    assert message["thread"]["title"] == "Still here"
    await page.disconnect()


# --- Client messages --------------------------------------------------------------------------


async def test_sync_returns_what_was_missed_and_bad_messages_get_error_frames(
    open_community, employee
):
    old = await sync_to_async(ThreadFactory)(community=open_community, author=employee)
    new = await sync_to_async(ThreadFactory)(community=open_community, author=employee)
    page = await _open(community_path(open_community), employee)

    await page.send_json_to({"type": "sync", "after": old.pk})
    message = await _next_of_type(page, "sync")
    assert [t["id"] for t in message["threads"]] == [new.pk]

    await page.send_to(text_data="{not json")
    assert (await page.receive_json_from())["error"] == "invalid JSON"
    await page.send_to(text_data="x" * 5000)
    assert (await page.receive_json_from())["error"] == "message too large"
    await page.send_json_to({"type": "sync", "after": "1 OR 1=1"})
    assert (await page.receive_json_from())["type"] == "error"
    await page.send_json_to({"type": "sync", "after": -1})
    assert (await page.receive_json_from())["type"] == "error"
    await page.send_json_to({"type": "membership.revoked", "community_id": open_community.pk})
    assert (await page.receive_json_from())["type"] == "error"
    await page.send_json_to(["not", "an", "object"])
    assert (await page.receive_json_from())["type"] == "error"
    # Still connected and working.
    await page.send_json_to({"type": "heartbeat"})
    await page.send_json_to({"type": "sync", "after": new.pk})
    assert (await _next_of_type(page, "sync"))["threads"] == []
    await page.disconnect()


async def test_sync_of_a_private_community_stops_once_removed(private_community, employee, manager):
    page = await _open(community_path(private_community), employee)
    # Removed without the live message (e.g. straight in the database by an administrator):
    # the next request re-checks membership and closes.
    await sync_to_async(Membership.objects.filter(user=employee).delete)()
    await page.send_json_to({"type": "sync", "after": 0})
    assert (await _next_of_type(page, "revoked"))["type"] == "revoked"


@needs_redis
async def test_broadcast_from_another_process_arrives_through_redis(open_community, employee):
    """Another ASGI process (another channel layer instance) reaches this socket via Redis."""
    from channels_redis.pubsub import RedisPubSubChannelLayer

    from communities.live import community_group

    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    page = await _open(community_path(open_community), employee)
    other_process = RedisPubSubChannelLayer(
        hosts=[REDIS_URL], prefix=settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    )
    await other_process.group_send(
        community_group(open_community.pk),
        {"type": "live.event", "event": "thread.created", "thread": {"id": 1, "hidden": True}},
    )
    message = await _next_of_type(page, "thread.created")
    assert message["thread"]["id"] == 1
    await page.disconnect()
    await other_process.flush()


async def test_a_reply_reaches_the_thread_and_community_pages_after_commit(
    open_community, employee, manager
):
    """Each reader gets the reply rendered for them by the page's own template: their
    language, their buttons; the broadcast itself carries the id only."""
    from interactions import services as interactions

    await sync_to_async(type(employee).objects.filter(pk=employee.pk).update)(
        preferred_language="en"
    )
    await sync_to_async(type(manager).objects.filter(pk=manager.pk).update)(preferred_language="fr")
    thread = await sync_to_async(ThreadFactory)(community=open_community, author=employee)
    thread_page = await _open(thread_path(thread), employee)
    author_page = await _open(thread_path(thread), manager)
    community_page = await _open(community_path(open_community), employee)

    reply = await sync_to_async(interactions.comment_create)(
        author=manager, target=thread, body="Voir avec @claire.employee <script>x</script>"
    )
    message = await _next_of_type(thread_page, "reply.created")
    assert message["reply"]["id"] == reply.pk and message["reply"]["parent"] is None
    html = message["reply"]["html"]
    assert f'id="comment-{reply.pk}"' in html and "<script>" not in html
    assert manager.name in html
    assert 'class="comment-reply"' in html and "<summary>Reply</summary>" in html  # English
    assert "data-interactions-reactions" in html  # the reaction buttons
    assert "csrfmiddlewaretoken" in html
    assert "comment-edit" not in html and "comment-delete" not in html  # not theirs
    assert message["reply_count"] == 1
    mine = (await _next_of_type(author_page, "reply.created"))["reply"]["html"]
    assert "comment-edit" in mine and "comment-delete" in mine  # the author's own buttons
    assert "<summary>Répondre</summary>" in mine  # in French, the author's language
    message = await _next_of_type(community_page, "reply.created")
    assert message["thread_id"] == thread.pk and "html" not in message["reply"]

    await sync_to_async(content_hide)(actor=manager, obj=reply, reason="Hors sujet")
    message = await _next_of_type(thread_page, "reply.changed")
    assert message["reply"]["id"] == reply.pk
    assert "claire.employee" not in message["reply"]["html"]  # hidden from ordinary readers
    assert "hidden-comment" in message["reply"]["html"]
    assert message["reply_count"] == 0
    moderator_view = (await _next_of_type(author_page, "reply.changed"))["reply"]["html"]
    assert "claire.employee" in moderator_view and "Hors sujet" in moderator_view
    await thread_page.send_json_to({"type": "sync", "after": 0})
    assert (await _next_of_type(thread_page, "sync"))["replies"] == []
    await thread_page.disconnect()
    await author_page.disconnect()
    await community_page.disconnect()


async def test_live_reply_html_is_the_reloaded_page_html(open_community, employee, manager):
    """The same include, the same decorations: the live fragment is what a reload shows."""
    from interactions import services as interactions

    thread = await sync_to_async(ThreadFactory)(community=open_community, author=employee)
    page = await _open(thread_path(thread), employee)
    reply = await sync_to_async(interactions.comment_create)(
        author=manager, target=thread, body="Bonne question"
    )
    live_html = (await _next_of_type(page, "reply.created"))["reply"]["html"]
    await page.disconnect()

    def reloaded() -> str:
        client = Client()
        client.force_login(employee)
        return client.get(thread.get_absolute_url()).content.decode()

    page_html = await sync_to_async(reloaded)()
    start = live_html.index(f'<li class="comment" id="comment-{reply.pk}"')
    fragment = live_html[start : live_html.index("</article>", start)]
    # Tokens differ per request (CSRF masking); the markup does not.
    import re

    def unmasked(text: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", text)

    assert unmasked(fragment) in unmasked(page_html)


# --- Sequence numbers and catching up (issue 12, item 4) ----------------------------------------


@needs_redis
async def test_live_messages_are_numbered_per_group_and_sync_replays_what_was_lost(
    open_community, employee, colleague, manager
):
    """On the real Redis channel layer: every content frame carries the group's next number,
    viewer counts carry the current one, and a page that lost frames gets back, from a sync
    with its last number, the new replies and the changed ones, rendered for its reader (a
    reply hidden meanwhile comes back without its text to an ordinary reader)."""
    from communities.live import current_seq, thread_group
    from interactions import services as interactions

    assert "Redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]
    thread = await sync_to_async(ThreadFactory)(community=open_community, author=employee)
    page = await _open(thread_path(thread), colleague)

    first = await sync_to_async(interactions.comment_create)(
        author=employee, target=thread, body="Premier jet"
    )
    frame = await _next_of_type(page, "reply.created")
    assert frame["reply"]["id"] == first.pk
    base = frame["seq"]
    assert base == await sync_to_async(current_seq)(thread_group(thread.pk))
    await page.send_json_to({"type": "heartbeat"})
    assert (await _next_of_type(page, "viewers"))["seq"] == base

    # Frames the page "loses": it does not read them (as if dropped on the way).
    second = await sync_to_async(interactions.comment_create)(
        author=employee, target=thread, body="Deuxième réponse"
    )
    await sync_to_async(interactions.comment_edit)(
        editor=employee, comment=first, body="Premier jet, corrigé"
    )
    await sync_to_async(content_hide)(actor=manager, obj=second, reason="Hors sujet")
    seqs = []
    for _ in range(3):
        message = await page.receive_json_from(timeout=3)
        while message["type"] == "viewers":
            message = await page.receive_json_from(timeout=3)
        seqs.append(message["seq"])
    assert seqs == [base + 1, base + 2, base + 3]  # consecutive, in commit order

    # The heartbeat tells the page how far the group is: it is behind, and re-syncs.
    await page.send_json_to({"type": "heartbeat"})
    assert (await _next_of_type(page, "viewers"))["seq"] == base + 3
    await page.send_json_to({"type": "sync", "after": first.pk, "seq": base})
    synced = await _next_of_type(page, "sync")
    assert synced["seq"] == base + 3
    by_id = {r["id"]: r for r in synced["replies"]}
    assert sorted(by_id) == [first.pk, second.pk]
    assert "Premier jet, corrigé" in by_id[first.pk]["html"]
    assert "hidden-comment" in by_id[second.pk]["html"]
    assert "Deuxième réponse" not in by_id[second.pk]["html"]  # hidden from this reader
    assert synced["reply_count"] == 1

    # Up to date: nothing more to replay.
    await page.send_json_to({"type": "sync", "after": second.pk, "seq": base + 3})
    synced = await _next_of_type(page, "sync")
    assert synced["replies"] == [] and synced["seq"] == base + 3
    await page.send_json_to({"type": "sync", "after": 0, "seq": -1})
    assert (await _next_of_type(page, "error"))["type"] == "error"
    await page.disconnect()


@needs_redis
async def test_community_sync_replays_changed_threads_and_only_ids_of_hidden_ones(
    open_community, employee, colleague, manager
):
    from communities.live import community_group, current_seq

    kept = await sync_to_async(ThreadFactory)(community=open_community, author=employee)
    hidden = await sync_to_async(ThreadFactory)(
        community=open_community, author=employee, body="Texte confidentiel"
    )
    page = await _open(community_path(open_community), colleague)
    since = await sync_to_async(current_seq)(community_group(open_community.pk))
    await sync_to_async(services.thread_pin)(actor=manager, thread=kept, pinned=True)
    await sync_to_async(content_hide)(actor=manager, obj=hidden, reason="Doublon")
    await page.send_json_to({"type": "sync", "after": hidden.pk, "seq": since})
    synced = await _next_of_type(page, "sync")
    assert synced["seq"] == since + 2
    by_id = {t["id"]: t for t in synced["threads"]}
    assert by_id[kept.pk]["pinned"] is True
    assert by_id[hidden.pk] == {"id": hidden.pk, "hidden": True}
    assert "Texte confidentiel" not in str(synced)
    await page.disconnect()
