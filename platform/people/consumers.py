"""Live presence: every page opens this socket; a profile page watches its person."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from core.consumers import RucheConsumer
from people.presence import online_among, presence_connect, presence_disconnect, presence_heartbeat

MAX_WATCHED = 50


def presence_group(user_id: int) -> str:
    return f"presence.{user_id}"


class PresenceConsumer(RucheConsumer):
    async def on_connected(self) -> None:
        self.watched: set[int] = set()
        if await database_sync_to_async(presence_connect)(self.user.pk):
            await self.broadcast(online=True)

    async def disconnect(self, code: int) -> None:
        for user_id in getattr(self, "watched", ()):
            await self.channel_layer.group_discard(presence_group(user_id), self.channel_name)
        # `watched` exists only once the connection was accepted (see on_connected).
        if hasattr(self, "watched") and await database_sync_to_async(presence_disconnect)(
            self.user.pk
        ):
            await self.broadcast(online=False)

    async def broadcast(self, *, online: bool) -> None:
        await self.channel_layer.group_send(
            presence_group(self.user.pk),
            {"type": "presence.changed", "user": self.user.pk, "online": online},
        )

    async def handle_watch(self, content: dict[str, Any]) -> None:
        """{"type": "watch", "users": [ids]}: follow whether these people are online.

        Presence is not private inside the intranet (anyone can see a colleague's profile),
        so any employee may watch any employee; the list is only bounded.
        """
        users = content.get("users")
        if (
            not isinstance(users, list)
            or len(users) > MAX_WATCHED
            or not all(isinstance(u, int) and not isinstance(u, bool) and u > 0 for u in users)
        ):
            raise ValueError(f"'users' must be a list of at most {MAX_WATCHED} user ids")
        for user_id in set(users) - self.watched:
            await self.channel_layer.group_add(presence_group(user_id), self.channel_name)
        self.watched |= set(users)
        online = await database_sync_to_async(online_among)(users)
        await self.send_json({"type": "presence", "online": sorted(online)})

    async def handle_heartbeat(self, content: dict[str, Any]) -> None:
        await database_sync_to_async(presence_heartbeat)(self.user.pk)

    async def presence_changed(self, event: dict[str, Any]) -> None:
        online = [event["user"]] if event["online"] else []
        offline = [] if event["online"] else [event["user"]]
        await self.send_json({"type": "presence", "online": online, "offline": offline})
