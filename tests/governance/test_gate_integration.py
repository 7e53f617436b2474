"""The charter gate through a real form of another app (a new community thread): the person is
sent to the charter, told why, and brought back with their text intact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.models import Thread

pytestmark = pytest.mark.django_db


def test_new_thread_goes_through_the_charter_and_keeps_the_text(
    employee_client, employee, community, charter
):
    url = reverse("communities:thread_create", kwargs={"slug": community.slug})
    typed = {"kind": "discussion", "title": "Ma question", "body": "Un long texte réfléchi."}
    response = employee_client.post(url, typed)
    assert response.status_code == 302
    assert response.url.startswith(reverse("governance:charter"))
    assert not Thread.objects.exists()  # nothing half-written

    gate = employee_client.get(response.url)
    assert gate.context["gated"] and gate.context["kept_text"]

    accepted = employee_client.post(
        reverse("governance:charter"),
        {"version": charter.version, "agree": "on", "next": url, "gate": "1"},
    )
    assert accepted.url == url

    back = employee_client.get(url)
    form = back.context["form"]
    assert form["title"].value() == "Ma question"
    assert form["body"].value() == "Un long texte réfléchi."

    employee_client.post(url, typed)
    assert Thread.objects.get().title == "Ma question"


def test_without_a_published_charter_nothing_stops_the_writer(employee_client, community):
    url = reverse("communities:thread_create", kwargs={"slug": community.slug})
    response = employee_client.post(url, {"kind": "discussion", "title": "Libre", "body": "Oui"})
    assert response.status_code == 302
    assert Thread.objects.get().title == "Libre"
