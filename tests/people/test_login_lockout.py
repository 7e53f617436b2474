"""Login throttling and lockout (django-axes): per username and address, the same for an
unknown username, the login page with a clear message, and unlocked after the cool-off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.http import HttpRequest
from django.utils import timezone

from tests.factories import TEST_PASSWORD

LOGIN_URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def in_english(client):
    """Read the pages in English (the site's default is French; one test checks French)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


LOCKED = "Too many failed attempts: try again in 15 minutes or reset your password."


def log_in(client, username: str, password: str, address: str = "10.0.0.1", url=LOGIN_URL):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked(client, username: str, limit: int, **kwargs) -> list[int]:
    return [log_in(client, username, "wrong-password", **kwargs).status_code for _ in range(limit)]


@pytest.mark.django_db
def test_locked_after_n_wrong_passwords_then_the_right_one_is_refused(client, employee, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5  # the default, RUCHE_LOGIN_FAILURE_LIMIT
    statuses = fail_until_locked(client, employee.username, limit)
    # Wrong passwords before the limit get the usual message; the limit-th locks.
    assert statuses == [200] * (limit - 1) + [429]

    response = log_in(client, employee.username, TEST_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "/accounts/password/reset/" in page
    assert 'name="username"' in page  # still the login page, in the intranet's look
    assert not signed_in(client)


@pytest.mark.django_db
def test_an_unknown_username_locks_the_same_way(client, employee, settings):
    limit = settings.AXES_FAILURE_LIMIT
    known = fail_until_locked(client, employee.username, limit)
    unknown = fail_until_locked(client, "no.such.person", limit, address="10.0.0.2")
    assert unknown == known
    known_page = log_in(client, employee.username, "x").content.decode()
    unknown_page = log_in(client, "no.such.person", "x", address="10.0.0.2").content.decode()
    assert LOCKED in unknown_page

    # The two pages differ only by the username typed back in (and the CSRF token, per page).
    def same(page: str, username: str) -> str:
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", page.replace(username, "U"))

    assert same(unknown_page, "no.such.person") == same(known_page, employee.username)


@pytest.mark.django_db
def test_the_lock_is_per_username_and_address(client, employee, administrator, settings):
    fail_until_locked(client, employee.username, settings.AXES_FAILURE_LIMIT)
    # The same person from another machine is not locked out by whoever guessed from this one.
    log_in(client, employee.username, TEST_PASSWORD, address="10.0.0.9")
    assert signed_in(client)
    client.logout()
    # Another username from the guessing address is not locked either.
    log_in(client, administrator.username, TEST_PASSWORD)
    assert signed_in(client)


@pytest.mark.django_db
def test_unlocked_after_the_cool_off(client, employee, settings):
    fail_until_locked(client, employee.username, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, employee.username, TEST_PASSWORD).status_code == 429
    # Time travel: the failures happened 16 minutes ago, past the 15-minute cool-off.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    log_in(client, employee.username, TEST_PASSWORD)
    assert signed_in(client)


@pytest.mark.django_db
def test_an_administrator_unlocks_with_axes_reset(client, employee, settings):
    fail_until_locked(client, employee.username, settings.AXES_FAILURE_LIMIT)
    reset(username=employee.username)
    log_in(client, employee.username, TEST_PASSWORD)
    assert signed_in(client)


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(client, employee, settings):
    fail_until_locked(client, employee.username, settings.AXES_FAILURE_LIMIT - 1)
    log_in(client, employee.username, TEST_PASSWORD)
    assert signed_in(client)
    client.logout()
    # Counting starts again: one more failure does not lock.
    assert log_in(client, employee.username, "wrong").status_code == 200


@pytest.mark.django_db
def test_the_limit_and_cool_off_come_from_the_settings(client, employee, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.RUCHE_LOGIN_COOLOFF_MINUTES = 1
    assert fail_until_locked(client, employee.username, 2) == [200, 429]
    page = log_in(client, employee.username, TEST_PASSWORD).content.decode()
    assert "try again in 1 minute or reset your password" in page


@pytest.mark.django_db
def test_the_lockout_message_is_translated(client, employee, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    fail_until_locked(client, employee.username, settings.AXES_FAILURE_LIMIT)
    page = log_in(client, employee.username, TEST_PASSWORD).content.decode()
    assert "Trop de tentatives" in page
    assert "Mot de passe oublié" in page


@pytest.mark.django_db
def test_the_wagtail_admin_login_counts_and_is_locked_too(client, employee, settings):
    """Wagtail's own login form still exists at /admin/login/ (its redirects go to the
    intranet's page): its attempts go through the same backends, so they lock the same way."""
    statuses = fail_until_locked(
        client, employee.username, settings.AXES_FAILURE_LIMIT, url="/admin/login/"
    )
    assert statuses[-1] == 429
    response = log_in(client, employee.username, TEST_PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_the_django_admin_login_only_redirects_to_the_locked_page(client, employee, settings):
    response = log_in(client, employee.username, "wrong", url="/django-admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert not AccessAttempt.objects.exists()  # nothing authenticates there
    fail_until_locked(client, employee.username, settings.AXES_FAILURE_LIMIT)
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN_URL)


@pytest.mark.django_db
def test_a_reset_by_email_lifts_the_lock(
    client, employee, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    fail_until_locked(client, employee.username, settings.AXES_FAILURE_LIMIT)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": employee.email}, REMOTE_ADDR="10.0.0.1")
    link = re.search(r"(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "a-brand-new-long-passphrase"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    log_in(client, employee.username, new)
    assert signed_in(client)


@pytest.mark.django_db
def test_test_client_login_passes_a_request(client, employee):
    """AxesStandaloneBackend needs the request; Django's test Client.login does not pass one.
    django-axes documents passing it explicitly (tests mostly use force_login instead)."""
    assert client.login(request=HttpRequest(), username=employee.username, password=TEST_PASSWORD)
