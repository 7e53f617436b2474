"""Live updates of communities: websocket group names, broadcasts and who is viewing.

Broadcasts are called from `transaction.on_commit` callbacks only (services, moderation and
the interactions after-comment hook): a client never hears of a thread or reply that a
rolled-back transaction did not write. They only send: nothing here writes, and this module
imports no model and no service (models import it; it must not come back to them). Payloads
carry no per-reader data; a hidden thread is sent as its id only, and a reply always is (it is
rendered for each reader by the web process that holds their socket, once per perspective:
communities.live_render), so a broadcast can never leak moderated text. Every message to a
page's group carries that group's sequence number (below).
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache

logger = logging.getLogger(__name__)

# Viewer counts expire unless a connection refreshes them (heartbeat, every 5 s from
# communities.js), so a crashed process cannot leave phantom viewers behind for long. A page
# that closes normally leaves at once: the browser closes its socket (also on `pagehide`) and
# the consumer's disconnect handler counts it out and tells the others.
VIEWERS_TTL = 12
# Up to this many viewers every change of the count is broadcast; beyond, at most one
# broadcast per VIEWERS_THROTTLE seconds per page (see consumers._LiveConsumer.announce_viewers).
VIEWERS_EXACT_UP_TO = 50
VIEWERS_THROTTLE = 3


def community_group(community_id: int) -> str:
    return f"community.{community_id}"


def thread_group(thread_id: int) -> str:
    return f"community.thread.{thread_id}"


def user_group(user_id: int) -> str:
    """Each person's own group: membership changes reach all their open sockets at once."""
    return f"community.user.{user_id}"


# --- Sequence numbers: every live message of a group carries the group's next number -------
#
# A page remembers the last number it applied. A number that skips one (a frame lost: a
# channel over capacity, a socket that reconnected, a Redis hiccup) or a heartbeat that reports
# a higher one makes the page ask for a `sync` (communities.consumers), which replays what it
# missed through the same selectors and per-reader rendering as the page. The counter lives in
# the shared cache (an atomic INCR in Redis, shared by every web and Celery process) and each
# number's event is kept there for LOG_TTL seconds: a sync finds the replies that *changed*
# (edited, hidden) from the log, and new ones from the database by id, so an expired log still
# loses no new reply.
SEQ_TTL = 7 * 24 * 3600
LOG_TTL = 3600
# A page more than this many events behind re-reads only what the log still names, at most.
LOG_REPLAY_MAX = 200


def _seq_key(group: str) -> str:
    return f"live-seq:{group}"


def _log_key(group: str, seq: int) -> str:
    return f"live-log:{group}:{seq}"


def current_seq(group: str) -> int:
    """The number of the last message broadcast to `group` (0 before the first)."""
    return int(cache.get(_seq_key(group)) or 0)


def _next_seq(group: str) -> int:
    key = _seq_key(group)
    cache.add(key, 0, timeout=SEQ_TTL)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr (a local-memory cache)
        cache.add(key, 1, timeout=SEQ_TTL)
        value = 1
    return int(value)


def logged_since(group: str, after: int, upto: int) -> list[dict[str, Any]]:
    """The logged events (`{"thread": id}` and/or `{"reply": id}`) numbered after `after` up
    to `upto`, oldest first, at most the last LOG_REPLAY_MAX; expired ones are skipped (the
    caller re-reads new content by id)."""
    first = max(after + 1, upto - LOG_REPLAY_MAX + 1, 1)
    if first > upto:
        return []
    keys = [_log_key(group, n) for n in range(first, upto + 1)]
    found = cache.get_many(keys)
    return [found[k] for k in keys if k in found]


def _send(group: str, message: dict[str, Any], *, sequenced: bool = True) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if not sequenced:  # a person's own group: orders for the consumer, not page content
            async_to_sync(layer.group_send)(group, message)
            return
        seq = _next_seq(group)
        entry = {}
        if "thread" in message:
            entry["thread"] = message["thread"]["id"]
        if "thread_id" in message:
            entry["thread"] = message["thread_id"]
        if "reply" in message:
            entry["reply"] = message["reply"]["id"]
        # Logged before it is sent: a page that sees this number skipped can find its event.
        cache.set(_log_key(group, seq), entry, timeout=LOG_TTL)
        async_to_sync(layer.group_send)(group, {**message, "seq": seq})
    except Exception:  # a broadcast must never break the write that already committed
        logger.exception("communities: broadcast to %s failed", group)


def send_sequenced(group: str, message: dict[str, Any]) -> None:
    """Broadcast `message` to `group` numbered like the community pages' frames (same counter,
    same failure handling): other apps' live pages (ama) reuse the sequence and resync
    pattern instead of keeping a second one. Call from `transaction.on_commit` only."""
    _send(group, message)


def thread_payload(thread: Any) -> dict[str, Any]:
    if thread.hidden_at is not None or thread.deleted_at is not None:
        return {"id": thread.pk, "hidden": True}
    return {
        "id": thread.pk,
        "hidden": False,
        "title": thread.title,
        "kind": thread.kind,
        "url": thread.get_absolute_url(),
        "author": thread.author.name,
        "pinned": thread.pinned,
        "locked": thread.locked,
        "answered": thread.accepted_reply_id is not None,
        "accepted_reply": thread.accepted_reply_id,
        "reply_count": thread.reply_count,
        "created_at": thread.created_at.isoformat(),
        "last_activity_at": thread.last_activity_at.isoformat(),
    }


def broadcast_thread(thread: Any, *, event: str) -> None:
    """`event` is "created" or "changed"; both the community and the thread pages hear it."""
    message = {"type": "live.event", "event": f"thread.{event}", "thread": thread_payload(thread)}
    _send(community_group(thread.community_id), message)
    _send(thread_group(thread.pk), message)


def reply_payload(comment: Any) -> dict[str, Any]:
    """A reply's id only: each thread socket renders the reply for its own reader with the
    page's template (communities.live_render), so no text, author or permission travels in
    a broadcast that every viewer hears."""
    return {"id": comment.pk}


def broadcast_reply(thread: Any, comment: Any, *, created: bool) -> None:
    """A reply was written or changed (edited, hidden, deleted) and committed. The thread's
    reply count was already updated in the reply's transaction (Thread.interaction_on_comment):
    this only tells the pages."""
    message = {
        "type": "live.event",
        "event": "reply.created" if created else "reply.changed",
        "thread_id": thread.pk,
        "reply": reply_payload(comment),
        "reply_count": thread.reply_count,
    }
    _send(thread_group(thread.pk), message)
    _send(community_group(thread.community_id), message)


def broadcast_membership_revoked(*, user_id: int, community_id: int) -> None:
    """Tell every socket of this person to leave the community's groups and close now."""
    _send(
        user_group(user_id),
        {"type": "membership.revoked", "community_id": community_id},
        sequenced=False,
    )


# --- Who is viewing: distinct people per group, counted in the shared cache -----------------
#
# Each person on a page has a key of their own (`viewing:<group>:<id>`, the number of their
# sockets there) that expires `VIEWERS_TTL` seconds after their last heartbeat, and the page
# keeps a roster of the ids seen there. The count is the number of roster ids whose key is
# alive, so a person whose browser crashed drops out on their own, even while others stay
# (a single counter per page, refreshed by anyone's heartbeat, kept them for ever). A normal
# close counts the person out at once (disconnect). The roster is read-modify-write: two
# joins at the same instant may lose one id, which that person's next heartbeat puts back.


def _viewer_key(group: str, user_id: int) -> str:
    return f"viewing:{group}:{user_id}"


def _roster_key(group: str) -> str:
    return f"viewer-roster:{group}"


def _count_key(group: str) -> str:
    return f"viewer-count:{group}"


ROSTER_TTL = VIEWERS_TTL * 8


def _incr(key: str) -> int:
    cache.add(key, 0, timeout=VIEWERS_TTL)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=VIEWERS_TTL)
        value = 1
    cache.touch(key, timeout=VIEWERS_TTL)
    return value


def _decr(key: str) -> int:
    try:
        value = cache.decr(key)
    except ValueError:
        return 0
    if value <= 0:
        cache.delete(key)
        return 0
    return value


def _roster(group: str) -> set[int]:
    return set(cache.get(_roster_key(group)) or ())


def _roster_add(group: str, user_id: int) -> None:
    roster = _roster(group)
    if user_id in roster:
        cache.touch(_roster_key(group), timeout=ROSTER_TTL)
        return
    roster.add(user_id)
    cache.set(_roster_key(group), roster, timeout=ROSTER_TTL)


def _count(group: str) -> int:
    """Distinct people with a live key; the roster is pruned of the others."""
    roster = _roster(group)
    if not roster:
        return 0
    keys = {user_id: _viewer_key(group, user_id) for user_id in roster}
    found = cache.get_many(list(keys.values()))
    alive = {user_id for user_id, key in keys.items() if int(found.get(key) or 0) > 0}
    if alive != roster:
        if alive:
            cache.set(_roster_key(group), alive, timeout=ROSTER_TTL)
        else:
            cache.delete(_roster_key(group))
    if len(alive) > VIEWERS_EXACT_UP_TO:
        # A big audience's heartbeats read this instead of every viewer's key.
        cache.set(_count_key(group), len(alive), timeout=VIEWERS_THROTTLE)
    return len(alive)


def viewer_join(group: str, user_id: int) -> int:
    """Count one more socket of this person on this page; return the distinct viewers.

    A big audience (above VIEWERS_EXACT_UP_TO) answers from the count cached for
    VIEWERS_THROTTLE seconds, as heartbeats do: recounting the roster (one key per viewer) on
    each of 1,000 joins made opening the page quadratic."""
    _incr(_viewer_key(group, user_id))
    was_there = user_id in _roster(group)
    _roster_add(group, user_id)
    cached = cache.get(_count_key(group))
    if cached is None:
        return _count(group)
    if was_there:
        return int(cached)
    try:  # one more, until the cached count expires and the roster is counted again
        return int(cache.incr(_count_key(group)))
    except ValueError:  # it just expired
        return _count(group)


def viewer_leave(group: str, user_id: int) -> int:
    if _decr(_viewer_key(group, user_id)) == 0:
        roster = _roster(group)
        if user_id in roster:
            roster.discard(user_id)
            cache.set(_roster_key(group), roster, timeout=ROSTER_TTL)
    return _count(group)


def viewer_heartbeat(group: str, user_id: int) -> None:
    key = _viewer_key(group, user_id)
    if not cache.touch(key, timeout=VIEWERS_TTL):
        cache.set(key, 1, timeout=VIEWERS_TTL)
    _roster_add(group, user_id)


def viewers_count(group: str) -> int:
    cached = cache.get(_count_key(group))
    if cached is not None:
        return int(cached)
    return _count(group)


def page_state(group: str) -> tuple[int, int]:
    """(current_seq, viewers_count) for a page of `group`, in one cache read when nobody is
    watching it live (the usual case)."""
    found = cache.get_many([_seq_key(group), _count_key(group), _roster_key(group)])
    seq = int(found.get(_seq_key(group)) or 0)
    cached = found.get(_count_key(group))
    if cached is not None:
        return seq, int(cached)
    return seq, (_count(group) if found.get(_roster_key(group)) else 0)


def viewers_may_announce(group: str, count: int) -> bool:
    if count <= VIEWERS_EXACT_UP_TO:
        return True
    return cache.add(f"viewers-announced:{group}", 1, timeout=VIEWERS_THROTTLE)
