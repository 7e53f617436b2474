"""E-mail tasks: safe to run twice, honour preferences at send time, digests by frequency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import DigestFrequency, Kind, Notification
from notifications.services import mute_create, notifications_mark_read, preference_update
from notifications.tasks import send_digest, send_digests, send_notification_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _row(recipient, actor, target, kind=Kind.MENTION, **extra) -> Notification:
    """A stored notification, as `notify` leaves it, without running its on-commit work."""
    from django.contrib.contenttypes.models import ContentType

    return Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=kind,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        target_title=str(target),
        url="/somewhere/",
        group_key=f"{kind}:{target.pk}",
        **{"summary": "Have a look", **extra},
    )


def test_the_immediate_email_task_never_sends_twice(employee, colleague, target):
    notification = _row(employee, colleague, target, kind=Kind.COMMENT)
    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_the_immediate_email_rechecks_preferences_at_send_time(employee, colleague, target):
    notification = _row(employee, colleague, target, kind=Kind.COMMENT)
    preference_update(actor=employee, email_enabled=False)
    assert send_notification_email(notification.pk) is False
    preference_update(actor=employee, email_enabled=True)
    mute_create(actor=employee, target=target)
    assert send_notification_email(notification.pk) is False
    assert mail.outbox == []


def test_a_notification_read_before_the_task_runs_is_not_emailed(employee, colleague, target):
    notification = _row(employee, colleague, target, kind=Kind.REPLY)
    notifications_mark_read(actor=employee, notification=notification)
    assert send_notification_email(notification.pk) is False
    assert send_notification_email(987654321) is False  # gone: nothing to do, no error
    assert mail.outbox == []


def test_daily_digest_goes_to_daily_people_only_and_only_once(
    employee, colleague, executive, target
):
    preference_update(actor=employee, digest_frequency=DigestFrequency.DAILY)
    preference_update(actor=executive, digest_frequency=DigestFrequency.WEEKLY)
    _row(employee, colleague, target)
    _row(employee, colleague, target, kind=Kind.ANNOUNCEMENT)
    _row(executive, colleague, target)

    assert send_digests("daily") == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [employee.email]
    assert "daily digest: 2 unread notifications" in digest.subject
    assert "Marc Petit mentioned you in “Roadmap 2027”" in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in digest.alternatives[0][0]
    assert not Notification.objects.filter(recipient=employee, emailed_at__isnull=True).exists()

    # The beat fires twice (or a worker retries): nothing new, nothing sent.
    assert send_digests("daily") == 0
    assert send_digest(employee.pk, "daily") == 0
    assert len(mail.outbox) == 1


def test_weekly_is_the_default_and_never_means_never(employee, colleague, executive, target):
    preference_update(actor=executive, digest_frequency=DigestFrequency.NEVER)
    _row(employee, colleague, target)  # employee never chose: the default applies
    _row(executive, colleague, target)
    assert send_digests("daily") == 0
    assert send_digests("weekly") == 1
    assert [m.to for m in mail.outbox] == [[employee.email]]
    # Asked directly for someone who chose never: still nothing.
    assert send_digest(executive.pk, "weekly") == 0
    assert len(mail.outbox) == 1


def test_digest_leaves_out_what_is_read_old_muted_off_or_switched_off(
    employee, colleague, target, other_target
):
    preference_update(
        actor=employee,
        digest_frequency=DigestFrequency.DAILY,
        email_disabled_kinds=[Kind.NEW_THREAD],
    )
    mute_create(actor=employee, target=other_target)
    kept = _row(employee, colleague, target)
    _row(employee, colleague, target, kind=Kind.NEW_THREAD)
    _row(employee, colleague, other_target)
    _row(employee, colleague, target, read_at=timezone.now())
    _row(employee, colleague, target, emailed_at=timezone.now())
    _row(employee, colleague, target, created_at=timezone.now() - timedelta(days=3))
    assert send_digest(employee.pk, "daily") == 1
    kept.refresh_from_db()
    assert kept.emailed_at is not None
    assert "1 unread notification" in mail.outbox[0].subject


def test_global_email_off_means_no_digest(employee, colleague, target):
    preference_update(actor=employee, email_enabled=False)
    _row(employee, colleague, target)
    assert send_digests("weekly") == 0
    assert send_digest(employee.pk, "weekly") == 0
    assert mail.outbox == []


def test_people_without_an_address_or_account_get_no_digest(colleague, target):
    nobody = UserFactory(email="")
    gone = UserFactory(is_active=False)
    _row(nobody, colleague, target)
    _row(gone, colleague, target)
    assert send_digests("weekly") == 0
    assert send_digest(gone.pk, "weekly") == 0


def test_an_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        send_digests("hourly")


def test_the_digest_speaks_the_recipients_language_and_always_has_a_way_out(colleague, target):
    french = UserFactory(username="lea.fr", first_name="Léa", preferred_language="fr")
    preference_update(actor=french, digest_frequency=DigestFrequency.DAILY)
    _row(french, colleague, target)
    _row(french, colleague, target, kind=Kind.MODERATION, summary="Votre commentaire est masqué")
    assert send_digest(french.pk, "daily") == 2
    digest = mail.outbox[0]
    assert digest.subject == "[Ruche] Votre résumé du jour : 2 notifications non lues"
    assert "Marc Petit vous a mentionné dans « Roadmap 2027 »" in digest.body
    # Kinds whose meaning only the caller knows are shown with the caller's sentence.
    assert "Votre commentaire est masqué" in digest.body
    one_click = digest.extra_headers["List-Unsubscribe"][1:-1]
    for part in (digest.body, digest.alternatives[0][0]):
        assert one_click in part
        assert "Ne plus recevoir ce résumé" in part
        assert "Ne plus recevoir aucun e-mail de Ruche" in part
