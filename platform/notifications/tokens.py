"""Signed one-click unsubscribe links.

An e-mail must let its reader stop it from the mail client, without a session (RFC 8058), so
the link itself carries who and what, signed with the site's secret: it cannot be forged nor
turned against someone else, and it never expires (an old e-mail's link still works).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"


class Scope:
    TARGET = "target"  # stop e-mail about one post or thread (value: "<content_type>.<id>")
    KIND = "kind"  # stop e-mail of one kind (value: the kind)
    DIGEST = "digest"  # stop the digest
    CONTENT_DIGEST = "content_digest"  # stop the weekly digest of new content
    ALL = "all"  # stop every e-mail


SCOPES = frozenset({Scope.TARGET, Scope.KIND, Scope.DIGEST, Scope.CONTENT_DIGEST, Scope.ALL})


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    scope: str
    value: str = ""


def unsubscribe_token(*, user_id: int, scope: str, value: str = "") -> str:
    if scope not in SCOPES:
        raise ValueError(f"unknown unsubscribe scope: {scope}")
    return signing.dumps({"u": int(user_id), "s": scope, "v": value}, salt=SALT, compress=True)


def unsubscribe_read(token: str) -> Unsubscribe:
    """Decode a token; raises `signing.BadSignature` when it was tampered with or malformed."""
    data = signing.loads(token, salt=SALT)
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or data.get("s") not in SCOPES
        or not isinstance(data.get("v", ""), str)
    ):
        raise signing.BadSignature("malformed unsubscribe token")
    return Unsubscribe(user_id=data["u"], scope=data["s"], value=data.get("v", ""))


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(*, user_id: int, scope: str, value: str = "") -> str:
    token = unsubscribe_token(user_id=user_id, scope=scope, value=value)
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))
