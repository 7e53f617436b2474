"""The live unread count: each open page listens on its person's personal group."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from core.consumers import RucheConsumer
from notifications.groups import user_group
from notifications.selectors import unread_count


class PersonalGroupMixin:
    """For consumers that join the personal group `user.<id>`.

    Other apps send their own message types to that group; Channels would otherwise raise
    "No handler for message type" and close the socket. Unknown types are ignored instead.
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, str(message.get("type", "")).replace(".", "_"), None)
        if handler is None and "." in str(message.get("type", "")):
            return
        await super().dispatch(message)  # type: ignore[misc]


class NotificationConsumer(PersonalGroupMixin, RucheConsumer):
    async def on_connected(self) -> None:
        self.group = user_group(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # On every (re)connection the page gets the current count: what it missed while
        # offline is re-synced, never lost.
        await self.send_unread()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def send_unread(self) -> None:
        count = await database_sync_to_async(unread_count)(self.user.pk)
        await self.send_json({"type": "unread", "count": count})

    async def handle_sync(self, content: dict[str, Any]) -> None:
        """{"type": "sync"}: the page asks for the current count."""
        await self.send_unread()

    async def notifications_unread(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "unread", "count": int(event["count"])})
