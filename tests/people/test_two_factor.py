"""Two-factor authentication: set-up with its QR code and recovery codes shown once, the code
after the password, every refusal (wrong, replayed, locked after repeated wrong codes), the
rule for administrators before the intranet, the Wagtail admin and the Django admin, removal,
an administrator's reset (404 for anyone else), the audit entries, and the query budgets."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.models import AuditEntry
from tests.factories import TEST_PASSWORD, AdminFactory, UserFactory
from twofactor import services

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/setup/"
SECURITY = "/accounts/two-factor/"
WRONG = "This code is not right, or it was already used."
LOCKED = "Too many wrong codes: the second step is locked for 15 more minutes."


@pytest.fixture(autouse=True)
def in_english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the person's app shows now (or `steps_ahead` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = services.authenticator_enrol_start(user=user)
    enrolment = services.authenticator_enrol_confirm(user=user, code=code_of(device))
    return enrolment.device, enrolment.recovery_codes


def password_login(client, user, next_url: str = "/"):
    return client.post(
        f"{LOGIN}?next={next_url}", {"username": user.username, "password": TEST_PASSWORD}
    )


def verified(client) -> bool:
    return "otp_device_id" in client.session


# --- enrolment ---


def test_an_employee_sets_up_2fa_and_sees_the_recovery_codes_once(client, employee):
    client.force_login(employee)
    assert b'data-testid="two-factor-off"' in client.get(SECURITY).content
    assert client.post("/accounts/two-factor/setup/start/").url == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    assert b"<svg" in page.content and b"<script>" not in page.content  # inline QR, CSP-safe
    device = TOTPDevice.objects.get(user=employee, confirmed=False)

    wrong = client.post(SETUP, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert WRONG in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=employee, confirmed=True).exists()

    response = client.post(SETUP, {"code": code_of(device)})
    assert response.url == "/accounts/two-factor/recovery-codes/"
    assert verified(client)  # the session that enrolled gave its code
    codes = client.get(response.url)
    tokens = list(StaticToken.objects.filter(device__user=employee).values_list("token", flat=True))
    assert len(tokens) == services.RECOVERY_CODE_COUNT
    assert all(token in codes.content.decode() for token in tokens)
    assert client.get(response.url).url == SECURITY  # shown once
    entry = AuditEntry.objects.get(action="two_factor.enrolled")
    assert entry.actor == employee and entry.target_id == str(employee.pk)
    assert b'data-testid="two-factor-on"' in client.get(SECURITY).content


def test_setting_up_twice_is_refused(employee):
    enrol(employee)
    with pytest.raises(services.TwoFactorError):
        services.authenticator_enrol_start(user=employee)


# --- the code after the password ---


def test_a_person_with_2fa_gives_a_code_before_anything_else(client, employee):
    device, _codes = enrol(employee)
    response = password_login(client, employee, "/people/")
    assert response.status_code == 302
    home = client.get("/people/")
    assert home.status_code == 302 and home.url.startswith(VERIFY)
    assert client.get("/admin/").url.startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200

    wrong = client.post(VERIFY, {"code": "12", "next": "/people/"})
    assert wrong.status_code == 400
    assert WRONG in wrong.content.decode()
    assert 'value="12"' in wrong.content.decode()  # the form keeps what was typed
    assert not verified(client)

    ok = client.post(VERIFY, {"code": code_of(device, 1), "next": "/people/"})
    assert ok.url == "/people/"
    assert verified(client)
    assert client.get("/people/").status_code == 200


def test_a_replayed_code_is_refused(client, employee):
    device, _codes = enrol(employee)  # enrolment used the current code
    password_login(client, employee)
    replay = client.post(VERIFY, {"code": code_of(device)})
    assert replay.status_code == 400
    assert WRONG in replay.content.decode()
    assert not verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # a replay counts as a wrong code


def test_a_recovery_code_works_once(client, employee):
    _device, codes = enrol(employee)
    password_login(client, employee)
    assert client.post(VERIFY, {"code": codes[0].upper()}).url == "/"
    assert verified(client)
    client.post("/accounts/logout/")
    password_login(client, employee)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 400 and not verified(client)
    assert StaticToken.objects.filter(device__user=employee).count() == len(codes) - 1


def test_wrong_codes_lock_the_second_step_with_a_clear_message(client, employee, settings):
    device, codes = enrol(employee)
    password_login(client, employee)
    limit = settings.RUCHE_2FA_FAILURE_LIMIT
    statuses = [client.post(VERIFY, {"code": "abcdef"}).status_code for _ in range(limit)]
    assert statuses == [400] * (limit - 1) + [429]

    locked = client.post(VERIFY, {"code": code_of(device, 1)})
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 429  # recovery codes too
    assert not verified(client)

    # After the cool-off, the right code goes through and the count starts again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=16)
    )
    assert client.post(VERIFY, {"code": code_of(device, 1)}).url == "/"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_verify_page_in_french(client, employee):
    enrol(employee)
    password_login(client, employee)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    employee.preferred_language = "fr"
    employee.save(update_fields=["preferred_language"])
    page = client.post(VERIFY, {"code": "abcdef"}).content.decode()
    assert "Ce code n’est pas le bon" in page


# --- administrators ---


@pytest.mark.parametrize("path", ["/admin/", "/django-admin/", "/governance/audit/", "/people/"])
def test_an_administrator_without_2fa_reaches_only_the_set_up(client, administrator, path):
    password_login(client, administrator)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(SETUP)
    assert client.get(SETUP).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_an_administrator_with_2fa_gives_the_code_for_both_admins(client, administrator):
    device, _codes = enrol(administrator)
    password_login(client, administrator)
    assert client.get("/admin/").url.startswith(VERIFY)
    assert client.get("/django-admin/").url.startswith(VERIFY)
    client.post(VERIFY, {"code": code_of(device, 1)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


def test_the_rule_for_administrators_can_be_switched_off(client, administrator, settings):
    settings.RUCHE_2FA_REQUIRED_FOR_ADMINS = False
    password_login(client, administrator)
    assert client.get("/django-admin/").status_code == 200


def test_a_single_sign_on_session_is_the_providers(client, administrator, settings):
    settings.AUTHENTICATION_BACKENDS = [
        "people.oidc.OidcBackend",
        *settings.AUTHENTICATION_BACKENDS,
    ]
    client.force_login(administrator, backend="people.oidc.OidcBackend")
    assert client.session[BACKEND_SESSION_KEY] == "people.oidc.OidcBackend"
    assert client.get("/django-admin/").status_code == 200


def test_an_administrator_who_removes_2fa_is_sent_to_set_up_again(client, administrator):
    device, _codes = enrol(administrator)
    password_login(client, administrator)
    client.post(VERIFY, {"code": code_of(device, 1)})
    wrong = client.post("/accounts/two-factor/remove/", {"code": "abcdef"})
    assert wrong.status_code == 400 and WRONG in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=administrator).exists()
    removed = client.post("/accounts/two-factor/remove/", {"code": code_of(device, 2)})
    assert removed.url == SECURITY
    assert not TOTPDevice.objects.filter(user=administrator).exists()
    assert not StaticDevice.objects.filter(user=administrator).exists()
    assert AuditEntry.objects.filter(action="two_factor.removed", actor=administrator).exists()
    assert client.get("/people/").url.startswith(SETUP)


def test_new_recovery_codes_cancel_the_old_ones(client, employee):
    _device, old = enrol(employee)
    new = services.recovery_codes_regenerate(user=employee)
    assert not set(old) & set(new)
    password_login(client, employee)
    assert client.post(VERIFY, {"code": old[0]}).status_code == 400
    assert client.post(VERIFY, {"code": new[0]}).url == "/"
    assert AuditEntry.objects.filter(action="two_factor.recovery_codes_regenerated").exists()


# --- reset by an administrator ---


def test_an_administrator_resets_someones_2fa(client, administrator, employee):
    enrol(employee)
    admin_device, _codes = enrol(administrator)
    password_login(client, administrator)
    client.post(VERIFY, {"code": code_of(admin_device, 1)})
    url = f"/accounts/two-factor/people/{employee.username}/"
    assert client.get(url).status_code == 200
    assert client.post(url).url == url
    assert not TOTPDevice.objects.filter(user=employee).exists()
    entry = AuditEntry.objects.get(action="two_factor.reset")
    assert entry.actor == administrator and entry.target_id == str(employee.pk)
    # Nothing left to reset: refused with a message, nothing written.
    again = client.post(url, follow=True)
    assert "no two-factor authentication to reset" in again.content.decode()
    assert AuditEntry.objects.filter(action="two_factor.reset").count() == 1


def test_an_administrator_cannot_reset_their_own_from_that_page(administrator):
    enrol(administrator)
    with pytest.raises(services.Forbidden):
        services.two_factor_reset(actor=administrator, person=administrator)
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_nobody_else_sees_or_resets_someones_2fa(client, employee, colleague):
    enrol(colleague)
    client.force_login(employee)
    url = f"/accounts/two-factor/people/{colleague.username}/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=colleague).exists()
    with pytest.raises(services.Forbidden):
        services.two_factor_reset(actor=employee, person=colleague)


# --- query budgets ---


@pytest.mark.parametrize("people", [3, 30])
def test_query_budgets(client, employee, people, django_assert_max_num_queries):
    for _ in range(people):
        enrol(UserFactory())
    client.force_login(employee)
    client.get("/people/")  # the gate's answer is cached from now on
    with django_assert_max_num_queries(6):
        assert client.get(SECURITY).status_code == 200
    device, _codes = enrol(employee)
    client.post("/accounts/logout/")
    password_login(client, employee)
    with django_assert_max_num_queries(6):
        assert client.get(VERIFY).status_code == 200
    # The code, its row lock, the counter, the new session id and the device in the session.
    with django_assert_max_num_queries(15):
        assert client.post(VERIFY, {"code": code_of(device, 1)}).status_code == 302


def test_the_gate_costs_no_query_for_an_employee_without_2fa(client, employee):
    client.force_login(employee)
    client.get("/people/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/people/").status_code == 200
    assert not any("otp_" in query["sql"] for query in queries.captured_queries)


def test_an_admin_factory_account_is_required(client):
    admin = AdminFactory()
    password_login(client, admin)
    assert client.get("/").url.startswith(SETUP)


# --- the demo ---


def test_the_demo_administrator_signs_in_with_the_code_the_demo_shows(client, settings):
    import io
    import random

    from twofactor import demo

    settings.DEMO_MODE = True
    admin = AdminFactory(username="admin")
    out = io.StringIO()
    demo.seed(rng=random.Random(0), stdout=out)
    demo.seed(rng=random.Random(0), stdout=out)  # idempotent
    assert demo.demo_secret() in out.getvalue()
    assert (
        TOTPDevice.objects.filter(user=admin, confirmed=True, key=demo.DEMO_TOTP_KEY).count() == 1
    )
    assert AuditEntry.objects.filter(action="two_factor.enrolled", actor=admin).count() == 1
    password_login(client, admin)
    page = client.get(VERIFY).content.decode()
    shown = demo.demo_code(admin)
    assert shown and shown in page
    settings.DEMO_MODE = False
    assert demo.demo_code(admin) is None
    assert 'data-testid="demo-code"' not in client.get(VERIFY).content.decode()
