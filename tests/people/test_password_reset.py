"""Password reset by e-mail: Django's views with Ruche's templates, a link in the person's own
language, the same answer for an unknown address, a rate limit in the cache (real Redis in CI)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import TEST_PASSWORD, UserFactory

RESET_URL = "/accounts/password/reset/"


@pytest.fixture(autouse=True)
def in_english(client):
    """Read the pages in English (the site's default is French; one test checks French)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


NEW_PASSWORD = "a-brand-new-long-passphrase"


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks):
    """Post the reset form; the e-mail leaves after commit, as in real use."""

    def ask(client, email: str, address: str = "10.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address)

    return ask


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)


def log_in(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_login_page_links_to_the_reset(client):
    response = client.get("/accounts/login/")
    assert RESET_URL in response.content.decode()
    assert "Forgot your password?" in response.content.decode()


@pytest.mark.django_db
def test_reset_happy_path(ask_reset, client, employee):
    response = ask_reset(client, employee.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [employee.email]
    assert message.subject == "Reset your Ruche password"
    assert "claire.employee" in message.body
    assert "24 hours" in message.body

    # Django swaps the token for a session entry and redirects to the set-password form.
    response = client.get(link_in(message))
    assert response.status_code == 302
    form_url = response["Location"]
    assert "Choose a new password" in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/password/reset/done/"

    log_in(client, employee.username, TEST_PASSWORD)
    assert not signed_in(client)
    log_in(client, employee.username, NEW_PASSWORD)
    assert signed_in(client)


@pytest.mark.django_db
def test_the_email_is_in_the_recipients_language(ask_reset, client):
    person = UserFactory(username="camille", preferred_language="fr")
    ask_reset(client, person.email)
    assert mail.outbox[0].subject == "Réinitialiser votre mot de passe Ruche"
    assert "Bonjour" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_unknown_email_gets_the_same_answer_and_no_mail(ask_reset, client, employee):
    known = ask_reset(client, employee.email)
    mail.outbox.clear()
    unknown = ask_reset(client, "nobody@ruche.test")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_deactivated_account_gets_no_mail(ask_reset, client):
    former = UserFactory(username="former", is_active=False)
    response = ask_reset(client, former.email)
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_account_without_a_local_password_gets_no_mail(ask_reset, client):
    person = UserFactory(username="sso.only")
    person.set_unusable_password()
    person.save()
    ask_reset(client, person.email)
    assert mail.outbox == []


@pytest.mark.django_db
def test_requests_are_limited_per_email(ask_reset, client, employee, settings):
    for number in range(settings.RUCHE_PASSWORD_RESET_LIMIT):
        assert ask_reset(client, employee.email, address=f"10.0.1.{number}").status_code == 302
    refused = ask_reset(client, employee.email, address="10.0.2.1")
    assert refused.status_code == 429
    assert "Too many password reset requests: try again in 60 minutes." in refused.content.decode()
    assert len(mail.outbox) == settings.RUCHE_PASSWORD_RESET_LIMIT


@pytest.mark.django_db
def test_requests_are_limited_per_address_even_for_unknown_emails(
    ask_reset, client, employee, settings
):
    for number in range(settings.RUCHE_PASSWORD_RESET_LIMIT):
        assert ask_reset(client, f"nobody{number}@ruche.test").status_code == 302
    # The next one is refused from this address, known e-mail or not, and sends nothing.
    for email in ("nobody-else@ruche.test", employee.email):
        refused = ask_reset(client, email)
        assert refused.status_code == 429
        assert "Too many password reset requests" in refused.content.decode()
    assert mail.outbox == []
    # Another address is not held back.
    assert ask_reset(client, employee.email, address="10.9.9.9").status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_limit_is_kept_in_the_shared_cache(ask_reset, client, employee, settings):
    from django.core.cache import cache

    ask_reset(client, employee.email, address="10.3.3.3")
    assert cache.get("password-reset:ip:10.3.3.3") == 1


def _confirm_url(user, token: str) -> str:
    return f"/accounts/password/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{token}/"


@pytest.mark.django_db
def test_a_forged_token_is_refused_with_a_clear_message(client, employee):
    response = client.get(_confirm_url(employee, "abc-0123456789abcdef"), follow=True)
    page = response.content.decode()
    assert "This link no longer works" in page
    assert "invalid or has expired" in page
    assert 'name="new_password1"' not in page


class _YesterdaysTokens(PasswordResetTokenGenerator):
    def _now(self) -> datetime:
        # Django's generator counts in naive local time (PasswordResetTokenGenerator._now).
        return datetime.now() - timedelta(hours=25)  # noqa: DTZ005


@pytest.mark.django_db
def test_an_expired_link_is_refused(client, employee):
    token = _YesterdaysTokens().make_token(employee)
    response = client.get(_confirm_url(employee, token), follow=True)
    assert "This link no longer works" in response.content.decode()


@pytest.mark.django_db
def test_a_link_works_once(ask_reset, client, employee):
    ask_reset(client, employee.email)
    link = link_in(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.get(link, follow=True)
    assert "This link no longer works" in response.content.decode()


@pytest.mark.django_db
def test_a_weak_new_password_is_refused(ask_reset, client, employee):
    ask_reset(client, employee.email)
    form_url = client.get(link_in(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    log_in(client, employee.username, TEST_PASSWORD)
    assert signed_in(client)
