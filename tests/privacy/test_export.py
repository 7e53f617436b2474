"""A person downloads everything Ruche holds about them; an administrator downloads it for
them; nobody else can."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from activity.models import ParticipationEvent
from privacy.services import person_export
from tests.factories import UserFactory


def _open(content: bytes) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return json.loads(archive.read("data.json")), archive


@pytest.mark.django_db
def test_own_export_holds_everything_about_them(client, world):
    client.force_login(world.person)
    response = client.get(reverse("privacy:export_own"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data, archive = _open(response.content)
    found = data["data"]
    assert found["people.user"][0]["username"] == "claire.employee"
    assert "password" not in found["people.user"][0]
    bodies = {row["body"] for row in found["interactions.comment.author"]}
    assert bodies == {"Avec plaisir, Marc.", "Un commentaire de Claire."}
    assert [row["title"] for row in found["communities.thread.author"]] == ["Un fil de Claire"]
    assert [row["title"] for row in found["blogs.postpage.author"]] == [
        "Adopter les médias sociaux"
    ]
    assert [row["kind"] for row in found["interactions.reaction.user"]] == ["like"]
    assert [row["person_id"] for row in found["blogs.follow.follower"]] == [world.colleague.pk]
    assert {row["community_id"] for row in found["communities.membership.user"]} == {
        world.community.pk
    }
    # Marc's comment and reply notified Claire.
    assert len(found["notifications.notification.recipient"]) >= 1
    # Their participation events, as CSV (BOM for spreadsheets).
    events = archive.read("participation_events.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(events)))
    assert len(rows) == ParticipationEvent.objects.filter(actor=world.person).count() > 0
    assert {"posted", "started_thread", "commented", "reacted", "followed", "joined"} <= {
        row["verb"] for row in rows
    }
    # Every kind of record as CSV too.
    comments = archive.read("csv/interactions.comment.author.csv").decode("utf-8-sig")
    assert "Un commentaire de Claire." in comments


@pytest.mark.django_db
def test_export_never_holds_secrets_or_others_data(world):
    from blogs.models import Follow

    # Marc follows Claire: her export says who follows her, not Marc's profile.
    Follow.objects.create(follower=world.colleague, person=world.person)
    data, _archive = _open(person_export(actor=world.person, person=world.person))
    text = json.dumps(data)
    assert world.person.password not in text
    assert "Merci Claire" not in text  # Marc's comment is his, not hers
    assert all(row["username"] == "claire.employee" for row in data["data"]["people.user"])


@pytest.mark.django_db
def test_administrator_downloads_a_persons_data(client, world, administrator):
    client.force_login(administrator)
    response = client.get(reverse("privacy:export", args=[world.person.username]))
    assert response.status_code == 200
    data, _archive = _open(response.content)
    assert data["person"] == "claire.employee"


@pytest.mark.django_db
def test_a_colleague_gets_404(client, world):
    client.force_login(world.colleague)
    response = client.get(reverse("privacy:export", args=[world.person.username]))
    assert response.status_code == 404
    client.force_login(UserFactory(is_staff=True))  # staff is not administrator
    assert client.get(reverse("privacy:export", args=[world.person.username])).status_code == 404
    assert client.get(reverse("privacy:erase", args=[world.person.username])).status_code == 404


@pytest.mark.django_db
def test_profile_page_links_to_the_download(client, world, administrator):
    client.force_login(world.person)
    page = client.get(world.person.get_absolute_url()).content.decode()
    assert reverse("privacy:export_own") in page
    assert reverse("privacy:erase", args=[world.person.username]) not in page
    client.force_login(administrator)
    page = client.get(world.person.get_absolute_url()).content.decode()
    assert reverse("privacy:export", args=[world.person.username]) in page
    assert reverse("privacy:erase", args=[world.person.username]) in page
    client.force_login(world.colleague)
    page = client.get(world.person.get_absolute_url()).content.decode()
    assert "/privacy/" not in page
