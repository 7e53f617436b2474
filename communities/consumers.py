"""Live community and thread pages.

`/ws/communities/<id>/` follows a community page (new threads, replies, viewers) and
`/ws/communities/threads/<id>/` a thread page (new and changed replies, thread changes,
viewers). Each connection:
- joins its person's own group, through which a removal from the community reaches it at once:
  it re-checks the right to read and, if lost, leaves the groups and closes (4403);
- needs an authenticated session and the right to read, checked at connect through
  `communities.permissions` once that group is joined (so no removal falls in between), and
  again for every reply it renders and every sync;
- accepts only small, validated JSON messages (`RucheConsumer`): `heartbeat` and
  `sync {"after": id, "seq": n}` to fetch what was missed (disconnected, or a frame lost).

Every frame about the page's content carries the group's sequence number `seq`
(communities.live), and so do the viewer counts (the group's current number, which lets a
page notice a lost last frame at its next heartbeat). A page that sees a number skipped asks
for a `sync`: the replies or threads created after its newest id, and those the log names as
changed since its `seq`, read through the page's selectors and rendered for this reader; the
answer carries the number it is complete up to.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from channels.db import database_sync_to_async

from communities import live, live_render, permissions, replies, selectors
from core.consumers import CLOSE_FORBIDDEN, RucheConsumer

logger = logging.getLogger(__name__)

MAX_SYNC = 100
# How long the first socket of a web process to hear of a new reply waits for the process's
# other sockets on the thread before the reply is rendered for all of them at once.
BATCH_WINDOW = 0.02


class _NewReplyBatches:
    """One rendering job per web process (event loop) and new reply, shared by its sockets.

    The channel layer hands a broadcast to every socket of the group separately; rendering the
    reply separately for each (four queries and a template) made 1,000 viewers wait seconds.
    The first socket to hear of a reply opens a batch, the others arriving within
    BATCH_WINDOW join it, and `live_render.new_reply_for_readers` checks every reader's right
    to read and renders once per perspective for all of them."""

    def __init__(self) -> None:
        self.open: dict[tuple[int, int, int, Any], dict[str, Any]] = {}

    async def render(self, consumer: ThreadConsumer, reply_id: int, seq: Any) -> Any:
        loop = asyncio.get_running_loop()
        key = (id(loop), consumer.thread_id, reply_id, seq)
        batch = self.open.get(key)
        if batch is None:
            batch = {"readers": [], "done": loop.create_future()}
            self.open[key] = batch
            # Kept on the batch: the loop holds tasks only weakly.
            batch["task"] = loop.create_task(self._run(key, batch, consumer.thread_id, reply_id))
        index = len(batch["readers"])
        batch["readers"].append((consumer.user, consumer.scope))
        results = await asyncio.shield(batch["done"])
        return results[index]

    async def _run(
        self, key: tuple[int, int, int, Any], batch: dict[str, Any], thread_id: int, reply_id: int
    ) -> None:
        await asyncio.sleep(BATCH_WINDOW)
        # Closed before rendering: a socket arriving later opens the next batch.
        del self.open[key]
        try:
            results = await database_sync_to_async(live_render.new_reply_for_readers)(
                readers=list(batch["readers"]), thread_id=thread_id, reply_id=reply_id
            )
        except Exception as error:
            batch["done"].set_exception(error)
        else:
            batch["done"].set_result(results)


NEW_REPLIES = _NewReplyBatches()


def _positive_int(content: dict[str, Any], key: str) -> int:
    value = content.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"'{key}' must be a non-negative integer")
    return value


def _optional_seq(content: dict[str, Any]) -> int | None:
    """The page's last sequence number, when it sends one (None: it knows none yet)."""
    if content.get("seq") is None:
        return None
    return _positive_int(content, "seq")


class _LiveConsumer(RucheConsumer):
    """Shared machinery: group joins, viewers, revocation."""

    community_id: int
    live_group: str

    async def allowed(self) -> bool:
        """Whether the connected person may still follow this page (a DB check)."""
        raise NotImplementedError

    async def authorize_reader(self) -> bool:
        """Whether this person may follow the page (sets community_id and live_group)."""
        raise NotImplementedError

    async def authorize(self) -> bool:
        # The person's own group is joined before the check: a removal from the community
        # after it reaches this socket (membership_revoked re-checks), so the page's group can
        # be joined right after without asking the database again (1,000 people opening a
        # thread at once).
        await self.channel_layer.group_add(live.user_group(self.user.pk), self.channel_name)
        if await self.authorize_reader():
            return True
        await self.channel_layer.group_discard(live.user_group(self.user.pk), self.channel_name)
        return False

    async def on_connected(self) -> None:
        self.joined: set[str] = set()
        self.counted = False
        await self.channel_layer.group_add(self.live_group, self.channel_name)
        self.joined.add(self.live_group)
        at = time.time()
        count, seq = await database_sync_to_async(self._join_viewers)()
        self.counted = True
        if not await self.announce_viewers(count, at, seq):
            await self.send_json({"type": "viewers", "count": count, "at": at, "seq": seq})

    def _join_viewers(self) -> tuple[int, int]:
        return live.viewer_join(self.live_group, self.user.pk), live.current_seq(self.live_group)

    def _leave_viewers(self) -> tuple[int, int]:
        return live.viewer_leave(self.live_group, self.user.pk), live.current_seq(self.live_group)

    def _heartbeat(self) -> tuple[int, int]:
        live.viewer_heartbeat(self.live_group, self.user.pk)
        return live.viewers_count(self.live_group), live.current_seq(self.live_group)

    async def announce_viewers(self, count: int, at: float, seq: int) -> bool:
        """Tell the page's viewers how many they are; False when throttled.

        Every join told to every viewer is quadratic: 500 people opening a busy thread would
        send 125 000 frames. Small audiences get every change; beyond that, at most one
        broadcast per group every few seconds, and each heartbeat answers the exact count.
        `at` is when the count was read: a page keeps the newest count it was told, so a
        heartbeat's answer read just before someone left cannot overwrite the announcement
        of their leaving that overtook it.
        """
        if not await database_sync_to_async(live.viewers_may_announce)(self.live_group, count):
            return False
        await self.channel_layer.group_send(
            self.live_group, {"type": "viewers.changed", "count": count, "at": at, "seq": seq}
        )
        return True

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "joined"):
            return  # refused before accept
        await self.leave_groups()

    async def leave_groups(self) -> None:
        for group in [*self.joined, live.user_group(self.user.pk)]:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                # A Redis hiccup while hundreds of sockets close at once must not skip the
                # rest (the viewer count below); a stale group entry expires by itself and
                # messages to a closed channel are dropped.
                logger.warning("communities: could not leave %s", group, exc_info=True)
        self.joined.clear()
        if self.counted:
            self.counted = False
            at = time.time()
            count, seq = await database_sync_to_async(self._leave_viewers)()
            await self.announce_viewers(count, at, seq)

    async def revoke(self) -> None:
        await self.leave_groups()
        await self.send_json({"type": "revoked"})
        await self.close(code=CLOSE_FORBIDDEN)

    # --- From the client ---------------------------------------------------------------------

    async def handle_heartbeat(self, content: dict[str, Any]) -> None:
        at = time.time()
        count, seq = await database_sync_to_async(self._heartbeat)()
        await self.send_json({"type": "viewers", "count": count, "at": at, "seq": seq})

    # --- From the server (group messages) ------------------------------------------------------

    async def live_event(self, event: dict[str, Any]) -> None:
        message = {k: v for k, v in event.items() if k not in ("type", "event")}
        await self.send_json({"type": event["event"], **message})

    async def viewers_changed(self, event: dict[str, Any]) -> None:
        await self.send_json(
            {
                "type": "viewers",
                "count": event["count"],
                "at": event["at"],
                "seq": event.get("seq", 0),
            }
        )

    async def membership_revoked(self, event: dict[str, Any]) -> None:
        if event.get("community_id") != self.community_id:
            return
        # Leaving an open community does not stop anyone reading it; losing a private one does.
        if not await self.allowed():
            await self.revoke()


class CommunityConsumer(_LiveConsumer):
    async def authorize_reader(self) -> bool:
        self.community_id = int(self.scope["url_route"]["kwargs"]["community_id"])
        self.live_group = live.community_group(self.community_id)
        return await self.allowed()

    async def allowed(self) -> bool:
        found = await database_sync_to_async(permissions.community_for_socket)(
            self.user, self.community_id
        )
        return found is not None

    async def handle_sync(self, content: dict[str, Any]) -> None:
        """{"type": "sync", "after": last_thread_id, "seq": last_seq}: threads created after
        that id, and those changed (or replied to) since that number, oldest first."""
        after = _positive_int(content, "after")
        since = _optional_seq(content)
        found = await database_sync_to_async(self._threads_after)(after, since)
        if found is None:
            await self.revoke()
            return
        threads, seq = found
        await self.send_json({"type": "sync", "threads": threads, "seq": seq})

    def _threads_after(
        self, after: int, since: int | None
    ) -> tuple[list[dict[str, Any]], int] | None:
        # Read first: everything numbered up to `seq` was committed before this query runs.
        seq = live.current_seq(self.live_group)
        community = permissions.community_for_socket(self.user, self.community_id)
        if community is None:
            return None
        changed = set()
        if since is not None:
            logged = live.logged_since(self.live_group, since, seq)
            changed = {e["thread"] for e in logged if "thread" in e}
        threads = selectors.thread_list_for_sync(
            community=community,
            user=self.user,
            can_moderate=permissions.can_manage_community(self.user, community),
            after_id=after,
            also_ids=changed,
        ).order_by("pk")[: MAX_SYNC + len(changed)]
        payloads = [live.thread_payload(t) for t in threads]
        # A changed thread this reader may not see (any more): its id only, to remove its row.
        seen = {p["id"] for p in payloads}
        payloads += [{"id": pk, "hidden": True} for pk in sorted(changed - seen)]
        return payloads, seq


class ThreadConsumer(_LiveConsumer):
    async def authorize_reader(self) -> bool:
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        thread = await database_sync_to_async(permissions.thread_for_socket)(
            self.user, self.thread_id
        )
        if thread is None:
            return False
        self.community_id = thread.community_id
        self.live_group = live.thread_group(self.thread_id)
        return True

    async def allowed(self) -> bool:
        found = await database_sync_to_async(permissions.thread_for_socket)(
            self.user, self.thread_id
        )
        return found is not None

    async def handle_sync(self, content: dict[str, Any]) -> None:
        """{"type": "sync", "after": last_reply_id, "seq": last_seq}: replies written after
        that id and those changed since that number, oldest first, rendered for this reader
        like the page; the thread's state when it changed."""
        after = _positive_int(content, "after")
        since = _optional_seq(content)
        found = await database_sync_to_async(self._replies_after)(after, since)
        if found is None:
            await self.revoke()
            return
        await self.send_json({"type": "sync", **found})

    def _replies_after(self, after: int, since: int | None) -> dict[str, Any] | None:
        # Read first: everything numbered up to `seq` was committed before these queries run.
        seq = live.current_seq(self.live_group)
        thread = permissions.thread_for_socket(self.user, self.thread_id)
        if thread is None:
            return None
        logged = live.logged_since(self.live_group, since, seq) if since is not None else []
        changed = {e["reply"] for e in logged if "reply" in e}
        ids = [r.pk for r in replies.replies_after(thread, after, MAX_SYNC)]
        rendered = self._render([*ids, *changed])
        if rendered is None:
            return None
        found: dict[str, Any] = {
            "replies": rendered,
            "reply_count": thread.reply_count,
            "seq": seq,
        }
        if any("reply" not in e for e in logged):  # the thread itself changed
            found["thread"] = live.thread_payload(thread)
        return found

    def _render(self, reply_ids: list[int]) -> list[dict[str, Any]] | None:
        return live_render.replies_for_reader(
            user=self.user, thread_id=self.thread_id, reply_ids=reply_ids, scope=self.scope
        )

    async def live_event(self, event: dict[str, Any]) -> None:
        """A reply created or changed: rendered here, for this socket's person (their
        language, their permissions, their CSRF token), by the page's own template."""
        if not str(event.get("event", "")).startswith("reply."):
            await super().live_event(event)
            return
        reply_id = event["reply"]["id"]
        if event["event"] == "reply.created":
            shared = await NEW_REPLIES.render(self, reply_id, event.get("seq"))
            rendered = None if shared is None else [shared]
        else:
            rendered = await database_sync_to_async(self._render)([reply_id])
        if rendered is None:
            await self.revoke()
            return
        await self.send_json(
            {
                "type": event["event"],
                "thread_id": event["thread_id"],
                "reply": rendered[0],
                "reply_count": event["reply_count"],
                "seq": event.get("seq", 0),
            }
        )
