"""The charter: versions, acceptance, the gate other apps call, and who may manage it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activity.models import ParticipationEvent, Verb
from governance import selectors, services
from governance.exceptions import CharterNotAccepted
from governance.gate import pending_form_data, redirect_to_charter
from governance.models import AuditEntry, CharterAcceptance
from tests.factories import UserFactory
from tests.governance.factories import CharterFactory, PublishedCharterFactory

pytestmark = pytest.mark.django_db

CHARTER_DATA = {
    "title_fr": "Charte",
    "title_en": "Charter",
    "body_fr": "Soyons courtois.",
    "body_en": "Be courteous.",
}


def test_nothing_is_required_while_no_charter_is_published(employee):
    CharterFactory()  # a draft asks nothing of anyone
    services.charter_require(employee)
    assert selectors.charter_acceptance_rate() is None


def test_require_raises_with_the_current_version_until_accepted(employee, charter):
    with pytest.raises(CharterNotAccepted) as raised:
        services.charter_require(employee)
    assert raised.value.charter == charter
    assert raised.value.version == charter.version

    services.charter_accept(user=employee, charter=charter)
    services.charter_require(employee)


def test_acceptance_is_a_participation_event_recorded_once(employee, charter):
    services.charter_accept(user=employee, charter=charter)
    services.charter_accept(user=employee, charter=charter)
    assert CharterAcceptance.objects.filter(user=employee).count() == 1
    events = ParticipationEvent.objects.filter(actor=employee, verb=Verb.ACCEPTED_CHARTER)
    assert events.count() == 1
    assert events.get().object_id == charter.pk


def test_a_new_version_asks_again(employee, administrator, charter):
    services.charter_accept(user=employee, charter=charter)
    draft = services.charter_draft_save(actor=administrator, data=CHARTER_DATA)
    services.charter_require(employee)  # a draft changes nothing yet
    services.charter_publish(actor=administrator, charter=draft)
    with pytest.raises(CharterNotAccepted) as raised:
        services.charter_require(employee)
    assert raised.value.version == draft.version


def test_an_old_version_cannot_be_accepted(employee, administrator, charter):
    draft = services.charter_draft_save(actor=administrator, data=CHARTER_DATA)
    services.charter_publish(actor=administrator, charter=draft)
    with pytest.raises(ValidationError):
        services.charter_accept(user=employee, charter=charter)
    assert not CharterAcceptance.objects.exists()


def test_only_administrators_write_and_publish(employee, executive, charter):
    for person in (employee, executive):
        with pytest.raises(PermissionDenied):
            services.charter_draft_save(actor=person, data=CHARTER_DATA)
    draft = CharterFactory()
    with pytest.raises(PermissionDenied):
        services.charter_publish(actor=employee, charter=draft)


def test_a_published_version_is_never_edited(administrator, charter):
    with pytest.raises(ValidationError):
        services.charter_draft_save(actor=administrator, data=CHARTER_DATA, charter=charter)
    charter.refresh_from_db()
    assert charter.body_en != CHARTER_DATA["body_en"]


def test_charter_changes_are_audited(administrator):
    draft = services.charter_draft_save(actor=administrator, data=CHARTER_DATA)
    services.charter_draft_save(
        actor=administrator, data={**CHARTER_DATA, "body_en": "Be kind."}, charter=draft
    )
    services.charter_publish(actor=administrator, charter=draft)
    actions = list(
        AuditEntry.objects.filter(target_id=str(draft.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["charter.created", "charter.published", "charter.updated"]
    updated = AuditEntry.objects.get(action="charter.updated")
    assert updated.before["body_en"] == "Be courteous."
    assert updated.after["body_en"] == "Be kind."


def test_acceptance_rate_counts_active_people_for_the_current_version(charter):
    people = UserFactory.create_batch(4)
    UserFactory(is_active=False)
    services.charter_accept(user=people[0], charter=charter)
    # charter.created_by is an active administrator too: 1 of 5 active accounts.
    assert selectors.charter_acceptance_rate() == pytest.approx(1 / 5)
    department_people = type(people[0]).objects.filter(pk__in=[people[0].pk, people[1].pk])
    assert selectors.charter_acceptance_rate(population=department_people) == 0.5


def test_acceptance_rate_as_of_a_past_date(charter):
    from datetime import timedelta

    before_publication = charter.published_at - timedelta(days=1)
    assert selectors.charter_acceptance_rate(as_of=before_publication) is None


# --- The gate, through a real view ------------------------------------------------------------


def test_gate_keeps_the_text_and_returns_to_it(rf, client, employee, charter):
    client.force_login(employee)
    request = rf.post("/blogs/new/", {"title": "Mon billet", "body": "Un texte long"})
    request.session = client.session
    response = redirect_to_charter(request, return_url="/blogs/new/", form_data=request.POST)
    request.session.save()
    assert response.status_code == 302
    assert response.url.startswith(reverse("governance:charter"))

    page = client.get(response.url)
    assert page.status_code == 200
    assert "charter-gate" in page.content.decode()
    assert page.context["kept_text"] is True

    accepted = client.post(
        reverse("governance:charter"),
        {"version": charter.version, "agree": "on", "next": "/blogs/new/", "gate": "1"},
    )
    assert accepted.status_code == 302
    assert accepted.url == "/blogs/new/"

    later = rf.get("/blogs/new/")
    later.session = client.session
    saved = pending_form_data(later, "/blogs/new/")
    assert saved is not None
    assert saved["title"] == "Mon billet"
    assert saved["body"] == "Un texte long"
    assert "csrfmiddlewaretoken" not in saved
    assert pending_form_data(later, "/blogs/new/") is None


def test_gate_refuses_to_redirect_outside_the_site(rf, client, employee, charter):
    client.force_login(employee)
    response = client.post(
        reverse("governance:charter"),
        {"version": charter.version, "agree": "on", "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_accepting_without_ticking_the_box_explains(employee_client, employee, charter):
    response = employee_client.post(
        reverse("governance:charter"), {"version": charter.version, "next": "/x/"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agree"]
    assert not CharterAcceptance.objects.filter(user=employee).exists()


def test_accepting_a_stale_version_shows_the_new_one(employee_client, employee, charter):
    newer = PublishedCharterFactory()
    response = employee_client.post(
        reverse("governance:charter"), {"version": charter.version, "agree": "on"}
    )
    assert response.status_code == 200
    assert response.context["charter"] == newer
    assert response.context["form"]["version"].value() == newer.version
    assert not CharterAcceptance.objects.filter(user=employee).exists()


@pytest.mark.parametrize("url_name", ["charter_versions", "charter_new"])
def test_charter_management_pages_are_invisible_to_employees(employee_client, url_name):
    assert employee_client.get(reverse(f"governance:{url_name}")).status_code == 404


def test_publish_by_post_is_refused_to_employees(employee_client):
    draft = CharterFactory()
    response = employee_client.post(reverse("governance:charter_publish", args=[draft.pk]))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.published_at is None


def test_administrator_writes_and_publishes_through_the_pages(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("governance:charter_new"), {**CHARTER_DATA, "title_en": ""})
    assert response.status_code == 200  # error shown, nothing lost
    assert response.context["form"]["body_fr"].value() == "Soyons courtois."
    response = client.post(reverse("governance:charter_new"), CHARTER_DATA)
    assert response.status_code == 302
    draft = selectors.charter_versions().get()
    client.post(reverse("governance:charter_publish", args=[draft.pk]), {"confirm": "1"})
    assert selectors.current_charter() == draft
    page = client.get(reverse("governance:charter_versions"))
    assert page.status_code == 200
