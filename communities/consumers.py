"""Live community and thread pages.

`/ws/communities/<id>/` follows a community page (new threads, replies, viewers) and
`/ws/communities/threads/<id>/` a thread page (new and changed replies, thread changes,
viewers). Each connection:
- needs an authenticated session and the right to read (checked at connect, through
  `communities.permissions`, and again before every group it joins);
- joins its person's own group, through which a removal from the community reaches it at once:
  it re-checks the right to read and, if lost, leaves the groups and closes (4403);
- accepts only small, validated JSON messages (`RucheConsumer`): `heartbeat` and
  `sync {"after": id}` to fetch what was missed while disconnected.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from channels.db import database_sync_to_async

from communities import live, live_render, permissions, replies, selectors
from core.consumers import CLOSE_FORBIDDEN, RucheConsumer

logger = logging.getLogger(__name__)

MAX_SYNC = 100


def _positive_int(content: dict[str, Any], key: str) -> int:
    value = content.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"'{key}' must be a non-negative integer")
    return value


class _LiveConsumer(RucheConsumer):
    """Shared machinery: guarded group joins, viewers, revocation."""

    community_id: int
    live_group: str

    async def allowed(self) -> bool:
        """Whether the connected person may still follow this page (a DB check)."""
        raise NotImplementedError

    async def join_group(self, group: str) -> bool:
        """Join `group` only after checking again that the person may read it."""
        if not await self.allowed():
            return False
        await self.channel_layer.group_add(group, self.channel_name)
        self.joined.add(group)
        return True

    async def on_connected(self) -> None:
        self.joined: set[str] = set()
        self.counted = False
        await self.channel_layer.group_add(live.user_group(self.user.pk), self.channel_name)
        if not await self.join_group(self.live_group):
            await self.revoke()
            return
        at = time.time()
        count = await database_sync_to_async(live.viewer_join)(self.live_group, self.user.pk)
        self.counted = True
        if not await self.announce_viewers(count, at):
            await self.send_json({"type": "viewers", "count": count, "at": at})

    async def announce_viewers(self, count: int, at: float) -> bool:
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
            self.live_group, {"type": "viewers.changed", "count": count, "at": at}
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
            count = await database_sync_to_async(live.viewer_leave)(self.live_group, self.user.pk)
            await self.announce_viewers(count, at)

    async def revoke(self) -> None:
        await self.leave_groups()
        await self.send_json({"type": "revoked"})
        await self.close(code=CLOSE_FORBIDDEN)

    # --- From the client ---------------------------------------------------------------------

    async def handle_heartbeat(self, content: dict[str, Any]) -> None:
        await database_sync_to_async(live.viewer_heartbeat)(self.live_group, self.user.pk)
        at = time.time()
        count = await database_sync_to_async(live.viewers_count)(self.live_group)
        await self.send_json({"type": "viewers", "count": count, "at": at})

    # --- From the server (group messages) ------------------------------------------------------

    async def live_event(self, event: dict[str, Any]) -> None:
        message = {k: v for k, v in event.items() if k not in ("type", "event")}
        await self.send_json({"type": event["event"], **message})

    async def viewers_changed(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "viewers", "count": event["count"], "at": event["at"]})

    async def membership_revoked(self, event: dict[str, Any]) -> None:
        if event.get("community_id") != self.community_id:
            return
        # Leaving an open community does not stop anyone reading it; losing a private one does.
        if not await self.allowed():
            await self.revoke()


class CommunityConsumer(_LiveConsumer):
    async def authorize(self) -> bool:
        self.community_id = int(self.scope["url_route"]["kwargs"]["community_id"])
        self.live_group = live.community_group(self.community_id)
        return await self.allowed()

    async def allowed(self) -> bool:
        found = await database_sync_to_async(permissions.community_for_socket)(
            self.user, self.community_id
        )
        return found is not None

    async def handle_sync(self, content: dict[str, Any]) -> None:
        """{"type": "sync", "after": last_thread_id}: threads created since, oldest first."""
        after = _positive_int(content, "after")
        threads = await database_sync_to_async(self._threads_after)(after)
        if threads is None:
            await self.revoke()
            return
        await self.send_json({"type": "sync", "threads": threads})

    def _threads_after(self, after: int) -> list[dict[str, Any]] | None:
        community = permissions.community_for_socket(self.user, self.community_id)
        if community is None:
            return None
        threads = selectors.thread_list_for_sync(
            community=community,
            user=self.user,
            can_moderate=permissions.can_manage_community(self.user, community),
            after_id=after,
        ).order_by("pk")[:MAX_SYNC]
        return [live.thread_payload(t) for t in threads]


class ThreadConsumer(_LiveConsumer):
    async def authorize(self) -> bool:
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
        """{"type": "sync", "after": last_reply_id}: replies written since, oldest first,
        rendered for this reader like the page."""
        after = _positive_int(content, "after")
        found = await database_sync_to_async(self._replies_after)(after)
        if found is None:
            await self.revoke()
            return
        await self.send_json({"type": "sync", "replies": found})

    def _replies_after(self, after: int) -> list[dict[str, Any]] | None:
        thread = permissions.thread_for_socket(self.user, self.thread_id)
        if thread is None:
            return None
        ids = [r.pk for r in replies.replies_after(thread, after, MAX_SYNC)]
        return self._render(ids)

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
        rendered = await database_sync_to_async(self._render)([event["reply"]["id"]])
        if rendered is None:
            await self.revoke()
            return
        await self.send_json(
            {
                "type": event["event"],
                "thread_id": event["thread_id"],
                "reply": rendered[0],
                "reply_count": event["reply_count"],
            }
        )
