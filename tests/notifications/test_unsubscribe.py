"""One-click unsubscribe from a mail client, and the settings page where one subscribes again."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.urls import reverse

from notifications.models import DigestFrequency, Kind, Mute, NotificationPreference
from notifications.selectors import preference_for
from notifications.tokens import SALT, Scope, unsubscribe_token

pytestmark = pytest.mark.django_db


def _url(token: str) -> str:
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def _target_value(target) -> str:
    return f"{ContentType.objects.get_for_model(target).pk}.{target.pk}"


def test_the_link_from_an_email_mutes_that_post(
    notify_committed, client, employee, colleague, target, other_target
):
    from django.core import mail

    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1]
    path = link.removeprefix("http://127.0.0.1:8000")

    # A mail client follows the link without any session: a confirmation, nothing changed yet.
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop receiving e-mail about the conversation “Roadmap 2027”?" in page.content.decode()
    assert not Mute.objects.exists()

    done = client.post(path)
    assert done.status_code == 200
    assert "notification settings" in done.content.decode()  # how to subscribe again
    mute = Mute.objects.get()
    assert (mute.user, mute.target) == (employee, target)

    # No more e-mail about that post; other posts still e-mail.
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target)
    assert len(mail.outbox) == 1
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=other_target)
    assert len(mail.outbox) == 2


def test_rfc8058_one_click_post_works_without_session_nor_csrf(client, employee, target):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    token = unsubscribe_token(user_id=employee.pk, scope=Scope.TARGET, value=_target_value(target))
    response = strict.post(
        _url(token),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Mute.objects.filter(user=employee).count() == 1
    # Twice is harmless.
    assert strict.post(_url(token)).status_code == 200
    assert Mute.objects.filter(user=employee).count() == 1


@pytest.mark.parametrize(
    ("scope", "value", "check"),
    [
        (Scope.ALL, "", lambda p: p.email_enabled is False),
        (Scope.DIGEST, "", lambda p: p.digest_frequency == DigestFrequency.NEVER),
        (Scope.KIND, Kind.REPLY, lambda p: p.email_disabled_kinds == [Kind.REPLY]),
    ],
)
def test_each_scope_stops_what_it_says(client, employee, scope, value, check):
    token = unsubscribe_token(user_id=employee.pk, scope=scope, value=value)
    assert client.post(_url(token)).status_code == 200
    assert check(NotificationPreference.objects.get(user=employee))


def test_a_tampered_token_is_refused(client, employee, colleague):
    token = unsubscribe_token(user_id=employee.pk, scope=Scope.ALL)
    forged = signing.dumps({"u": colleague.pk, "s": Scope.ALL, "v": ""}, salt=SALT)[:-3] + "abc"
    for bad in (token[:-2] + "xx", forged, "nonsense", token.replace(":", ".", 1)):
        assert client.post(_url(bad)).status_code == 400
    # A signature made for another purpose is not an unsubscribe token either.
    other_purpose = signing.dumps({"u": colleague.pk, "s": Scope.ALL, "v": ""}, salt="feeds")
    assert client.post(_url(other_purpose)).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_a_link_for_someone_else_is_refused_to_a_signed_in_person(client, employee, colleague):
    token = unsubscribe_token(user_id=employee.pk, scope=Scope.ALL)
    client.force_login(colleague)
    assert client.get(_url(token)).status_code == 403
    assert client.post(_url(token)).status_code == 403
    assert preference_for(employee).email_enabled is True
    assert preference_for(colleague).email_enabled is True


def test_links_of_inactive_accounts_or_unknown_targets_are_refused(client, employee):
    bad_target = unsubscribe_token(user_id=employee.pk, scope=Scope.TARGET, value="999999.1")
    assert client.post(_url(bad_target)).status_code == 400
    bad_kind = unsubscribe_token(user_id=employee.pk, scope=Scope.KIND, value="gossip")
    assert client.post(_url(bad_kind)).status_code == 400
    employee.is_active = False
    employee.save()
    token = unsubscribe_token(user_id=employee.pk, scope=Scope.ALL)
    assert client.post(_url(token)).status_code == 400
    assert not NotificationPreference.objects.exists()
    assert not Mute.objects.exists()


def test_settings_page_saves_choices_and_keeps_input_on_error(employee_client, employee):
    url = reverse("notifications:settings")
    page = employee_client.get(url).content.decode()
    assert "Receive e-mail from Ruche" in page
    kinds = [k for k, _ in Kind.choices if k != Kind.REACTION]
    response = employee_client.post(
        url,
        {
            "in_app_kinds": kinds,
            "email_enabled": "on",
            "digest_frequency": "daily",
            "email_kinds": [Kind.COMMENT],
        },
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=employee)
    assert preference.disabled_kinds == [Kind.REACTION]
    assert preference.email_immediate is False
    assert preference.digest_frequency == "daily"
    assert Kind.REPLY in preference.email_disabled_kinds
    assert Kind.COMMENT not in preference.email_disabled_kinds

    bad = employee_client.post(
        url, {"in_app_kinds": [Kind.REPLY, "gossip"], "digest_frequency": "hourly"}
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "not saved" in body
    assert 'value="reply" checked' in body.replace("\n", " ") or "checked" in body
    preference.refresh_from_db()
    assert preference.digest_frequency == "daily"


def test_settings_page_lists_mutes_and_subscribes_again(
    employee_client, employee, colleague, target
):
    from django.test import Client

    from notifications.services import mute_create

    mute = mute_create(actor=employee, target=target)
    page = employee_client.get(reverse("notifications:settings")).content.decode()
    assert "Roadmap 2027" in page
    # Nobody removes someone else's mute.
    other = Client()
    other.force_login(colleague)
    other.post(reverse("notifications:unmute", args=[mute.pk]))
    assert Mute.objects.filter(pk=mute.pk).exists()
    employee_client.post(reverse("notifications:unmute", args=[mute.pk]))
    assert not Mute.objects.filter(pk=mute.pk).exists()


def test_unsubscribe_pages_speak_french(client):
    from tests.factories import UserFactory

    french = UserFactory(username="lea.fr", preferred_language="fr")
    token = unsubscribe_token(user_id=french.pk, scope=Scope.ALL)
    page = client.get(_url(token), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se désabonner" in page
