"""Demo two-factor authentication (manage.py seed_demo, after the people): the demo
administrator is enrolled, through the services, with an authenticator whose secret is
published in the README and printed by seed_demo, so that `make run` shows the code step and
the demo log-in still works without a phone: in demo mode the code page shows the current code
of that published secret. Idempotent: someone already enrolled is left as is.
"""

from __future__ import annotations

import random
from base64 import b32encode
from binascii import unhexlify
from typing import TextIO

from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from people.models import User
from twofactor import services

# Published on purpose (README, "Two-factor authentication"): demo data only.
DEMO_TOTP_KEY = "52756368652064656d6f2032464120736563726574"  # "Ruche demo 2FA secret"
DEMO_ENROLLED = ("admin",)


def demo_secret() -> str:
    return b32encode(unhexlify(DEMO_TOTP_KEY)).decode("ascii").rstrip("=")


def demo_code(user: User) -> str | None:
    """In demo mode, the current code of a demo account's published secret; None otherwise
    (any real account, or outside demo mode)."""
    if not settings.DEMO_MODE:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_TOTP_KEY).first()
    if device is None:
        return None
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def seed(*, rng: random.Random, stdout: TextIO) -> None:
    for username in DEMO_ENROLLED:
        user = User.objects.filter(username=username).first()
        if user is None or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        device = services.authenticator_enrol_start(user=user, key=DEMO_TOTP_KEY)
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        services.authenticator_enrol_confirm(user=user, code=f"{code:0{device.digits}d}")
    stdout.write(
        f"  two-factor: {', '.join(DEMO_ENROLLED)} enrolled with the demo secret {demo_secret()}"
    )
