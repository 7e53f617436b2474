"""The two-factor gate for websockets. A live page is as much a page as any other: a session
that signed in with a password but has not given its code yet (or an administrator who has
not set up 2FA) must not follow live content either. `TwoFactorWebsocketGate` sits inside
Channels' AuthMiddlewareStack, applies the pages' rule (`middleware.step_still_due`) and
hands such a socket on as anonymous, which every consumer refuses (4401).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from twofactor.middleware import step_still_due


def _session_verified(user: Any, session: Any) -> bool:
    """Whether the session gave a code: django-otp's own record, a confirmed device of this
    person (what its OTPMiddleware checks for pages)."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return bool(device is not None and device.user_id == user.pk and device.confirmed)


def socket_may_pass(user: Any, session: Any) -> bool:
    if not user.is_authenticated or session is None:
        return True  # the consumers refuse anonymous sockets themselves
    return _session_verified(user, session) or step_still_due(user, session) is None


class TwoFactorWebsocketGate(BaseMiddleware):
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        user = scope.get("user")
        if user is not None and not await database_sync_to_async(socket_may_pass)(
            user, scope.get("session")
        ):
            scope = {**scope, "user": AnonymousUser()}
        return await super().__call__(scope, receive, send)
