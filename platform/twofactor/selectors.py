"""Reads of two-factor authentication: is someone enrolled, their pending enrolment, how many
recovery codes they have left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import User
from twofactor.permissions import two_factor_required

# The gate asks on every page of a session that has not given a code; the answer is cached
# (Redis in production) so that employees without 2FA pay no query for it. The services clear
# it when they enrol, remove or reset (on commit).
ENROLLED_CACHE_SECONDS = 24 * 3600


def enrolled_cache_key(user_id: int) -> str:
    return f"twofactor:enrolled:{user_id}"


def confirmed_authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_authenticator(user: User) -> TOTPDevice | None:
    """The authenticator being set up (QR code shown, first code not yet given)."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def has_two_factor(user: User) -> bool:
    """Has this person a confirmed authenticator? Cached per person (see above)."""
    key = enrolled_cache_key(user.pk)
    cached = cache.get(key)
    if cached is not None:
        return bool(cached)
    # django-otp ships no type hints: its querysets are Any, hence the bool() and int().
    enrolled = bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())
    cache.set(key, int(enrolled), ENROLLED_CACHE_SECONDS)
    return enrolled


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


@dataclass(frozen=True)
class TwoFactorStatus:
    enrolled: bool
    enrolled_at: datetime | None
    last_used_at: datetime | None
    recovery_codes_left: int
    required: bool


def two_factor_status(user: User) -> TwoFactorStatus:
    device = confirmed_authenticator(user)
    return TwoFactorStatus(
        enrolled=device is not None,
        enrolled_at=device.created_at if device is not None else None,
        last_used_at=device.last_used_at if device is not None else None,
        recovery_codes_left=recovery_codes_left(user) if device is not None else 0,
        required=two_factor_required(user),
    )


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()
