"""Writes of two-factor authentication: set up an authenticator app, give a code after the
password, make new recovery codes, remove one's own second factor, reset someone's (an
administrator). Enrolment, removal, new recovery codes and resets are audited in the same
transaction (governance audit log); none is a participation, so no event is recorded.

Wrong codes are counted on the person's authenticator device (django-otp's throttling fields,
its own delay switched off in settings): RUCHE_2FA_FAILURE_LIMIT wrong codes in a row, whether
typed as an app code or a recovery code, lock the second step for RUCHE_2FA_COOLOFF_MINUTES.
A code already accepted once is refused (django-otp keeps the last time step used, and a
recovery code is deleted when used), and counts as a wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from math import ceil
from typing import NoReturn

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.refusals import Forbidden, Refusal
from governance.services import audit_record
from people.models import User
from twofactor import permissions, selectors

RECOVERY_CODE_COUNT = 10
CODE_MAX_LENGTH = 16


class TwoFactorError(Refusal):
    """A refused two-factor step, with a message for the person (core.refusals)."""


class TwoFactorLocked(TwoFactorError):
    status = 429


WRONG_CODE = _(
    "This code is not right, or it was already used. Enter the code your app shows now, "
    "or one of your recovery codes."
)


@dataclass(frozen=True)
class Enrolment:
    """A confirmed authenticator and the recovery codes made with it (shown once)."""

    device: TOTPDevice
    recovery_codes: list[str]


def _forget_enrolment(user_id: int) -> None:
    """Drop the gate's cached answer now and again on commit: a page of the same person
    served in between could otherwise cache the answer from before the change."""
    key = selectors.enrolled_cache_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _lock_message(until: timedelta) -> str:
    minutes = max(1, ceil(until.total_seconds() / 60))
    return ngettext(
        "Too many wrong codes: the second step is locked for %(minutes)d more minute. "
        "Try again then, or ask an administrator to reset your two-factor authentication.",
        "Too many wrong codes: the second step is locked for %(minutes)d more minutes. "
        "Try again then, or ask an administrator to reset your two-factor authentication.",
        minutes,
    ) % {"minutes": minutes}


def _lock_remaining(device: TOTPDevice) -> timedelta | None:
    """How long the second step stays locked, or None. A lock that ran out starts a fresh
    count (in memory: saved with the attempt)."""
    if device.throttling_failure_count < settings.RUCHE_2FA_FAILURE_LIMIT:
        return None
    last = device.throttling_failure_timestamp
    left = (
        last + timedelta(minutes=settings.RUCHE_2FA_COOLOFF_MINUTES) - timezone.now()
        if last is not None
        else timedelta(0)
    )
    if left > timedelta(0):
        return left
    device.throttling_failure_count = 0
    return None


def _normalise(code: str) -> str:
    # People type codes with the spaces their app shows ("123 456"); recovery codes are
    # lowercase base32, which some people copy in capitals.
    return "".join(code.split()).lower()[:CODE_MAX_LENGTH]


def _check_code(device: TOTPDevice, code: str) -> tuple[Device | None, int]:
    """Match `code` against the authenticator, then (once enrolled) the recovery codes; count
    the attempt on `device`. The caller holds `device`'s row lock. Returns the device that
    accepted the code (or None) and the failures in a row so far."""
    locked = _lock_remaining(device)
    if locked is not None:
        raise TwoFactorLocked(_lock_message(locked), field="code")
    failures = device.throttling_failure_count
    code = _normalise(code)
    matched: Device | None = None
    if code.isdigit() and device.verify_token(code):
        matched = device
    elif device.confirmed:
        recovery = selectors.recovery_device(device.user)
        if recovery is not None and recovery.verify_token(code):
            matched = recovery
    if matched is not None:
        device.throttle_reset(commit=True)
        return matched, 0
    # verify_token counted the failure its own way (or not, for a recovery code): the count
    # is Ruche's, one per attempt.
    device.throttling_failure_count = failures + 1
    device.throttling_failure_timestamp = timezone.now()
    device.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp"])
    return None, failures + 1


def _refuse_wrong_code(failures: int) -> NoReturn:
    if failures >= settings.RUCHE_2FA_FAILURE_LIMIT:
        raise TwoFactorLocked(
            _lock_message(timedelta(minutes=settings.RUCHE_2FA_COOLOFF_MINUTES)), field="code"
        )
    raise TwoFactorError(WRONG_CODE, field="code")


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def authenticator_enrol_start(*, user: User, key: str | None = None) -> TOTPDevice:
    """A new authenticator to set up: its secret is shown as a QR code until the person types
    its first code (`authenticator_enrol_confirm`). Starting again replaces the pending one.
    `key` (hex) is only for the demo, which publishes its administrators' secret."""
    if not permissions.can_manage_own_two_factor(user):
        raise Forbidden(_("You may not do this here."))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TwoFactorError(
            _("Two-factor authentication is already set up: remove it first to change phones.")
        )
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    extra = {"key": key} if key else {}
    return TOTPDevice.objects.create(
        user=user, name=str(_("Authenticator app")), confirmed=False, **extra
    )


def authenticator_enrol_confirm(*, user: User, code: str) -> Enrolment:
    """Confirm the pending authenticator with its first code and make the recovery codes.
    A wrong code is counted (toward the lock) and refused; nothing else is written."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise TwoFactorError(_("Start the set-up again: no authenticator is waiting."))
        matched, failures = _check_code(device, code)
        if matched is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            audit_record(
                actor=user,
                action="two_factor.enrolled",
                target=user,
                after={"recovery_codes": len(codes)},
            )
            _forget_enrolment(user.pk)
            return Enrolment(device=device, recovery_codes=codes)
    # Outside the transaction: the counted failure stays written.
    _refuse_wrong_code(failures)


def two_factor_verify(*, user: User, code: str) -> Device:
    """The second step after the password: the device that accepted `code`. The caller puts
    it in the session (django_otp.login). Wrong, replayed or locked: refused, and counted."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .select_related("user")
            .filter(user=user, confirmed=True)
            .first()
        )
        if device is None:
            raise TwoFactorError(_("Two-factor authentication is not set up for this account."))
        matched, failures = _check_code(device, code)
    if matched is None:
        _refuse_wrong_code(failures)
    return matched


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working), shown once."""
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise TwoFactorError(_("Set up two-factor authentication first."))
        codes = _new_recovery_codes(user)
        audit_record(actor=user, action="two_factor.recovery_codes_regenerated", target=user)
    return codes


def _delete_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _forget_enrolment(user.pk)


def two_factor_remove(*, user: User, code: str) -> None:
    """Remove one's own second factor, confirmed by a current code (a session left open on a
    shared screen cannot take it away). An administrator is then sent to set up a new one."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .select_related("user")
            .filter(user=user, confirmed=True)
            .first()
        )
        if device is None:
            raise TwoFactorError(_("Two-factor authentication is not set up for this account."))
        matched, failures = _check_code(device, code)
        if matched is not None:
            _delete_devices(user)
            audit_record(actor=user, action="two_factor.removed", target=user)
            return
    _refuse_wrong_code(failures)


@transaction.atomic
def two_factor_reset(*, actor: User, person: User) -> None:
    """An administrator removes someone's authenticator and recovery codes (a lost phone);
    their next password sign-in asks them to set up a new one if they must have one. Every
    session of theirs that gave a code loses it (the device is gone)."""
    if not permissions.can_reset_two_factor(actor, person):
        raise Forbidden(_("Only an administrator resets someone else's two-factor authentication."))
    if not TOTPDevice.objects.filter(user=person).exists():
        raise TwoFactorError(_("This person has no two-factor authentication to reset."))
    _delete_devices(person)
    audit_record(actor=actor, action="two_factor.reset", target=person)
