"""The base of every Ruche websocket consumer.

It refuses anonymous connections, limits and validates what clients send, and answers a bad
message with an error frame instead of closing the connection. Subclasses declare one
`handle_<type>` coroutine per message type they accept.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, cast

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer
from uvicorn.protocols.utils import ClientDisconnected

if TYPE_CHECKING:  # core sits below people: the annotation only
    from people.models import User

logger = logging.getLogger(__name__)

# Close codes in the 4000-4999 range are the application's own.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


def account_group(user_id: int) -> str:
    """The group every socket of one account joins: a deactivation closes them all at once
    (`people.services.sockets_close`), whatever the process or the consumer."""
    return f"account.{user_id}"


class RucheConsumer(AsyncJsonWebsocketConsumer):
    max_message_bytes = 4096

    @property
    def user(self) -> User:
        """The signed-in employee. Valid once `connect` accepted the socket: it refuses anyone
        who is not an active, authenticated account."""
        return cast("User", self.scope.get("user"))

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await self.authorize():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.accept()
        # In `groups`, Channels leaves the group itself when the socket closes.
        await self.channel_layer.group_add(account_group(user.pk), self.channel_name)
        self.groups.append(account_group(user.pk))
        await self.on_connected()

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' own dispatch, without its `aclose_old_connections()` before every message:
        that is a hop to a thread for each socket and message (a reply heard by 1,000 open
        pages: 1,000 hops, 16 % of a web process's time in the fan-out benchmark). Every
        handler here that reads the database does so through `database_sync_to_async`,
        which closes stale connections itself, before and after its work.

        A page that goes away while a frame is being sent to it (the author's own page,
        navigating after the POST of a reply, hears of that reply) makes uvicorn raise
        ClientDisconnected from the send; left to propagate, it ended the consumer without
        its disconnect handler, and the person stayed counted among a thread's viewers and in
        its groups. It is that socket's disconnect: handled as one.

        Any other failure of a handler ends the consumer too (the server logs it and closes
        the socket; the page reconnects): it first leaves its groups and runs its disconnect
        handler, so that no viewer or group entry outlives it."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        try:
            await handler(message)
        except ClientDisconnected:
            if message["type"] == "websocket.disconnect":
                raise
            await self.websocket_disconnect({"type": "websocket.disconnect", "code": 1006})
        except StopConsumer:  # the normal end (after a disconnect), not a failure
            raise
        except Exception:
            if message["type"] != "websocket.disconnect":
                await self._clean_up_after_failure()
            raise

    async def _clean_up_after_failure(self) -> None:
        try:
            await self.websocket_disconnect({"type": "websocket.disconnect", "code": 1011})
        except StopConsumer:
            pass
        except Exception:  # the original failure is the one to report
            logger.exception("websocket: cleaning up after a failed handler failed too")

    async def account_closed(self, event: dict[str, Any]) -> None:
        """The account was deactivated: this socket closes now, not at the next reconnect."""
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def authorize(self) -> bool:
        """Permission check at connect time; override to check membership and the like."""
        return True

    async def on_connected(self) -> None:
        """Join groups and send the initial state; override."""

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self.send_error("text frames only")
            return
        if len(text_data.encode()) > self.max_message_bytes:
            await self.send_error("message too large")
            return
        try:
            content = json.loads(text_data)
        except json.JSONDecodeError:
            await self.send_error("invalid JSON")
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error("a message is an object with a string 'type'")
            return
        handler = getattr(self, "handle_" + content["type"].replace(".", "_"), None)
        if handler is None or not content["type"].replace("_", "").replace(".", "").isalnum():
            await self.send_error(f"unknown message type: {content['type'][:40]}")
            return
        try:
            await handler(content)
        except ValueError as error:
            await self.send_error(str(error))

    async def send_error(self, message: str) -> None:
        await self.send_json({"type": "error", "error": message})


CLOSE_NO_ROUTE = 4404


class NoRouteConsumer(AsyncWebsocketConsumer):
    """The last websocket route: a path that matches no other. Channels' router would raise
    ("No route found for path") and the server log a crash for every probe; the handshake is
    refused instead, as a 404 would be."""

    async def connect(self) -> None:
        await self.close(code=CLOSE_NO_ROUTE)
