"""A live session page: `/ws/ama/<session_id>/`.

The connection needs an authenticated session and the right to see the session
(`ama.permissions.session_for_socket`), checked at connect and again at every `sync`. It then
hears every new question, vote, answer and moderation of the session as `question.created` /
`question.changed` frames carrying the group's sequence number `seq` (ama.live). Clients send
only small validated JSON (`RucheConsumer`): `heartbeat` (answered with the group's current
number, so a page notices a lost last frame) and `sync` (answered with the whole board as the
audience sees it, and the number it is complete up to).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from ama import live, permissions, selectors
from core.consumers import CLOSE_FORBIDDEN, RucheConsumer


class SessionConsumer(RucheConsumer):
    session_id: int
    group: str

    async def authorize(self) -> bool:
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        self.group = live.session_group(self.session_id)
        found = await database_sync_to_async(permissions.session_for_socket)(
            self.user, self.session_id
        )
        return found is not None

    async def on_connected(self) -> None:
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        seq = await database_sync_to_async(live.current_seq)(self.group)
        await self.send_json({"type": "hello", "seq": seq})

    async def disconnect(self, code: int) -> None:
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def handle_heartbeat(self, content: dict[str, Any]) -> None:
        seq = await database_sync_to_async(live.current_seq)(self.group)
        await self.send_json({"type": "heartbeat", "seq": seq})

    async def handle_sync(self, content: dict[str, Any]) -> None:
        found = await database_sync_to_async(self._state)()
        if found is None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.joined = False
            await self.close(code=CLOSE_FORBIDDEN)
            return
        questions, seq = found
        await self.send_json({"type": "sync", "questions": questions, "seq": seq})

    def _state(self) -> tuple[list[dict[str, Any]], int] | None:
        # The number first: everything numbered up to it was committed before the read.
        seq = live.current_seq(self.group)
        session = permissions.session_for_socket(self.user, self.session_id)
        if session is None:
            return None
        return selectors.session_state(session), seq

    async def live_event(self, event: dict[str, Any]) -> None:
        await self.send_json(
            {"type": event["event"], "question": event["question"], "seq": event.get("seq", 0)}
        )
