"""Changing and cancelling a scheduled announcement: only its author or an administrator, only
before anyone received it; bad input keeps what was typed and changes nothing; both audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from announcements import services
from announcements.models import Announcement, Audience, Receipt
from announcements.services import AnnouncementError
from console import editorial_calendar
from core.refusals import NotFound
from governance.audit_text import audit_sentence
from governance.models import AuditEntry
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def scheduled(executive, staff):
    return services.announcement_publish(
        author=executive,
        title="Déménagement du siège",
        body="Les cartons arrivent lundi.",
        audience=Audience.EVERYONE,
        publish_at=timezone.now() + timedelta(days=3),
    )


def _form(announcement, **changes):
    data = {
        "title": announcement.title,
        "body": announcement.body,
        "audience": announcement.audience,
        "requires_ack": "on",
        "publish_at": _local(announcement.publish_at),
    }
    data.update(changes)
    return data


def test_the_author_changes_title_and_date(client, executive, scheduled):
    later = timezone.now() + timedelta(days=5)
    client.force_login(executive)
    page = client.get(f"/announcements/{scheduled.pk}/edit/").content.decode()
    assert "Déménagement du siège" in page and "Les cartons arrivent lundi." in page
    response = client.post(
        f"/announcements/{scheduled.pk}/edit/",
        _form(scheduled, title="Déménagement : nouvelle date", publish_at=_local(later)),
    )
    assert response.status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.title == "Déménagement : nouvelle date"
    # The form is to the minute, in the reader's time zone.
    assert scheduled.publish_at == later.replace(second=0, microsecond=0)
    assert not scheduled.is_published and not Receipt.objects.exists()
    entry = AuditEntry.objects.get(action="announcement.updated")
    assert entry.before["title"] == "Déménagement du siège"
    assert entry.after["title"] == "Déménagement : nouvelle date"
    assert "changed the scheduled announcement" in audit_sentence(entry)
    # The editorial calendar follows the new date.
    today = timezone.localdate()
    entries = editorial_calendar.calendar_entries(
        executive, start=today, end=today + timedelta(days=7)
    )
    dated = {(e.entry.title, e.entry.at) for e in entries if e.entry.kind == "announcement"}
    assert dated == {("Déménagement : nouvelle date", scheduled.publish_at)}


def test_bad_input_keeps_what_was_typed_and_changes_nothing(client, executive, scheduled):
    client.force_login(executive)
    response = client.post(
        f"/announcements/{scheduled.pk}/edit/",
        _form(scheduled, title="Titre retapé", audience="departments"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one department." in page and "Titre retapé" in page
    scheduled.refresh_from_db()
    assert scheduled.title == "Déménagement du siège"
    assert scheduled.audience == Audience.EVERYONE
    assert not AuditEntry.objects.filter(action="announcement.updated").exists()


def test_an_empty_date_publishes_it_now(client, executive, staff, scheduled):
    client.force_login(executive)
    client.post(f"/announcements/{scheduled.pk}/edit/", _form(scheduled, publish_at=""))
    scheduled.refresh_from_db()
    assert scheduled.is_published
    assert scheduled.receipts.count() == len(staff)
    assert Notification.objects.filter(kind="announcement").count() == len(staff)


def test_cancel_deletes_it_and_the_audit_keeps_it(client, executive, staff, scheduled):
    client.force_login(executive)
    response = client.post(f"/announcements/{scheduled.pk}/cancel/", follow=True)
    assert "The scheduled announcement has been cancelled." in response.content.decode()
    assert not Announcement.objects.exists()
    entry = AuditEntry.objects.get(action="announcement.cancelled")
    assert entry.target_label == "Déménagement du siège"
    assert entry.before["audience"] == Audience.EVERYONE
    # Its date comes and nothing is sent.
    assert services.announcement_publish_due(now=timezone.now() + timedelta(days=4)) == 0
    assert not Notification.objects.exists()


def test_an_administrator_may_change_or_cancel_it(administrator, scheduled):
    services.announcement_cancel(actor=administrator, announcement=scheduled)
    assert not Announcement.objects.exists()


def test_once_published_it_can_no_longer_change(client, executive, staff, scheduled):
    services.announcement_publish_due(now=timezone.now() + timedelta(days=4))
    scheduled.refresh_from_db()
    assert scheduled.is_published
    with pytest.raises(AnnouncementError, match="can no longer be changed"):
        services.announcement_cancel(actor=executive, announcement=scheduled)
    client.force_login(executive)
    assert client.get(f"/announcements/{scheduled.pk}/edit/").status_code == 403
    response = client.post(f"/announcements/{scheduled.pk}/cancel/", follow=True)
    assert "can no longer be changed or cancelled" in response.content.decode()
    assert Announcement.objects.filter(pk=scheduled.pk).exists()
    page = client.get(f"/announcements/{scheduled.pk}/").content.decode()
    assert 'data-testid="scheduled-actions"' not in page


def test_a_stale_copy_is_refused_after_the_beat_published_it(executive, staff, scheduled):
    """The service reads the row under lock: a copy loaded before the beat task published it
    does not let a change through."""
    stale = Announcement.objects.get(pk=scheduled.pk)
    services.announcement_publish_due(now=timezone.now() + timedelta(days=4))
    with pytest.raises(AnnouncementError):
        services.announcement_update(
            actor=executive,
            announcement=stale,
            title="Trop tard",
            body="…",
            audience=Audience.EVERYONE,
        )
    assert Announcement.objects.get(pk=scheduled.pk).title == "Déménagement du siège"


def test_others_cannot_see_change_or_cancel_it(client, staff, communications, scheduled):
    for person in (staff[0], communications):  # a colleague; another publisher
        client.force_login(person)
        assert client.get(f"/announcements/{scheduled.pk}/edit/").status_code == 404
        assert client.post(f"/announcements/{scheduled.pk}/cancel/").status_code == 404
        with pytest.raises(NotFound):
            services.announcement_cancel(actor=person, announcement=scheduled)
    assert Announcement.objects.filter(pk=scheduled.pk, title="Déménagement du siège").exists()


def test_a_recipient_of_a_published_one_may_not_change_it(client, executive, staff):
    published = services.announcement_publish(
        author=executive, title="Publiée", body="Déjà partie.", audience=Audience.EVERYONE
    )
    client.force_login(staff[0])
    assert client.get(f"/announcements/{published.pk}/edit/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.announcement_cancel(actor=staff[0], announcement=published)


def test_french_actions(client, executive, scheduled):
    executive.preferred_language = "fr"
    executive.save(update_fields=["preferred_language"])
    client.force_login(executive)
    page = client.get(f"/announcements/{scheduled.pk}/acknowledgements/").content.decode()
    assert "Annuler l’annonce" in page and "La modifier" in page
    page = client.get(f"/announcements/{scheduled.pk}/edit/").content.decode()
    assert "Modifier l’annonce programmée" in page
