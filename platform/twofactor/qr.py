"""The enrolment QR code as inline SVG: no image request and no script, so the page keeps the
Content-Security-Policy (core.csp) and the secret never leaves the page in a URL."""

from __future__ import annotations

from base64 import b32encode

import qrcode
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage


def enrolment_qr_svg(device: TOTPDevice) -> SafeString:
    image = qrcode.make(device.config_url, image_factory=SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    # Made here from the device's own otpauth:// URL: no user input reaches the markup.
    return mark_safe(svg)  # noqa: S308


def manual_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    plain = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))
