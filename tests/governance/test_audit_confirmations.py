"""High-impact actions ask first (issue 14, item 4): granting the executive role and publishing
a charter everyone must accept again answer a page that states the consequence; only the
second POST, with confirm=1, writes (and audits)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import AuditEntry, Charter
from governance.selectors import current_charter
from tests.governance.factories import CharterFactory

pytestmark = pytest.mark.django_db


def _grant(client, person, **extra):
    data = {
        "person": person.pk,
        "role": "executive",
        "granted": "1",
        "next": "/governance/rights/?q=x",
    }
    return client.post(reverse("governance:rights_role"), {**data, **extra})


def test_granting_the_executive_role_asks_first_and_writes_nothing(client, administrator, employee):
    client.force_login(administrator)
    response = _grant(client, employee)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Leadership space" in page
    assert employee.name in page
    # The confirmation posts the same change again, with confirm=1 and where to go back.
    assert 'name="confirm" value="1"' in page
    assert f'name="person" value="{employee.pk}"' in page
    assert 'name="next" value="/governance/rights/?q=x"' in page
    employee.refresh_from_db()
    assert not employee.is_executive
    assert not AuditEntry.objects.exists()

    response = _grant(client, employee, confirm="1")
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.is_executive
    assert AuditEntry.objects.filter(action="role.granted").count() == 1


def test_the_confirmations_speak_french(client, administrator, employee, charter):
    administrator.preferred_language = "fr"
    administrator.save()
    client.force_login(administrator)
    page = _grant(client, employee).content.decode()
    assert "publiera dans l’espace direction" in page
    assert "Donner le rôle de dirigeant" in page
    draft = CharterFactory(version=charter.version + 1)
    page = client.post(reverse("governance:charter_publish", args=[draft.pk])).content.decode()
    assert "devront l’accepter" in page or "devra l’accepter" in page
    assert "Publier : chacun devra l’accepter à nouveau" in page


@pytest.mark.parametrize(("role", "granted"), [("executive", "0"), ("community_manager", "1")])
def test_other_role_changes_need_no_confirmation(client, administrator, executive, role, granted):
    client.force_login(administrator)
    response = client.post(
        reverse("governance:rights_role"),
        {"person": executive.pk, "role": role, "granted": granted},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.count() == 1


def test_publishing_a_charter_asks_first_and_writes_nothing(
    client, administrator, employee, charter
):
    draft = CharterFactory(version=charter.version + 1)
    client.force_login(administrator)
    url = reverse("governance:charter_publish", args=[draft.pk])
    response = client.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "must accept it" in page
    assert f"version {charter.version}" in page
    assert 'name="confirm" value="1"' in page
    draft.refresh_from_db()
    assert draft.published_at is None
    assert current_charter() == charter
    assert not AuditEntry.objects.exists()

    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert current_charter() == Charter.objects.get(pk=draft.pk)
    assert AuditEntry.objects.filter(action="charter.published").count() == 1


def test_the_charter_confirmation_is_refused_to_employees(employee_client):
    draft = CharterFactory()
    url = reverse("governance:charter_publish", args=[draft.pk])
    assert employee_client.post(url).status_code == 404
    assert employee_client.post(url, {"confirm": "1"}).status_code == 404
    draft.refresh_from_db()
    assert draft.published_at is None
