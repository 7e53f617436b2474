"""Two-factor authentication in Chromium: an administrator's first sign-in sends them to the
set-up, where they read the key under the QR code, type the code computed from it (as their
app would), keep the recovery codes; their next sign-in asks for a code before the Wagtail
and Django admins open. No Content-Security-Policy violation on the way (inline SVG QR)."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_csp_pages import _watched
from tests.factories import TEST_PASSWORD, AdminFactory

pytestmark = [pytest.mark.e2e, pytest.mark.two_factor]


def code_from(secret: str, steps_ahead: int = 0) -> str:
    plain = secret.replace(" ", "")
    key = b32decode(plain + "=" * (-len(plain) % 8))
    totp = TOTP(key, 30, 0, 6)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_an_administrator_sets_up_2fa_then_signs_in_with_a_code(new_page):
    admin = AdminFactory(username="alex.admin")
    page = new_page()
    violations = _watched(page)
    log_in(page, admin.username, TEST_PASSWORD)
    expect(page.get_by_test_id("two-factor-setup")).to_be_visible()
    page.goto("/django-admin/")  # nothing else opens before the set-up
    expect(page.get_by_test_id("two-factor-setup")).to_be_visible()

    page.get_by_role("button", name="Start").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.get_by_test_id("two-factor-secret").inner_text()
    page.get_by_role("textbox", name="Code").fill(
        "000000" if code_from(secret) != "000000" else "111111"
    )
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("This code is not right")).to_be_visible()
    page.get_by_role("textbox", name="Code").fill(code_from(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("recovery-codes")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_test_id("two-factor-on")).to_be_visible()

    page.locator("header form[action='/accounts/logout/'] button").click()
    log_in(page, admin.username, TEST_PASSWORD)
    expect(page.get_by_test_id("two-factor-verify")).to_be_visible()
    page.get_by_role("textbox", name="Code").fill(code_from(secret, 1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    page.goto("/django-admin/")
    expect(page.locator("#site-name")).to_be_visible()  # the Django admin opened
    page.goto("/admin/")
    expect(page.get_by_test_id("two-factor-verify")).to_have_count(0)
    assert "/admin/" in page.url
    assert violations == []
