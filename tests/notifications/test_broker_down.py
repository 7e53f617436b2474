"""A broker outage loses no immediate e-mail: the action commits, and the sweep sends later.

The broker is a real unreachable address (a closed port), never a mock: publishing fails the
way it fails in production, after the bounded retry policy of the settings.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Kind, Notification
from notifications.services import preference_update
from notifications.tasks import email_missed_notifications
from ruche.celery import app
from tests.brokers import DEAD_BROKER, tasks_published_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    """Tasks go through the (unreachable) broker instead of running eagerly."""
    with tasks_published_to(DEAD_BROKER):
        yield


def _age(notification: Notification, minutes: int) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_an_email_that_could_not_be_queued_is_sent_by_the_sweep(
    broker_down, notify_committed, employee, colleague, target
):
    (notification,) = notify_committed(
        recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target
    )
    # The action is committed and the notification is in the centre; no e-mail went out.
    notification.refresh_from_db()
    assert notification.emailed_at is None and mail.outbox == []

    app.conf.task_always_eager = True  # the broker is back
    assert email_missed_notifications() == 0  # too recent: its own task may still be queued
    _age(notification, 10)
    assert email_missed_notifications() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [employee.email]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert email_missed_notifications() == 0  # sent once, never again


def test_the_sweep_follows_the_same_rules_as_the_immediate_email(employee, colleague, executive):
    preference_update(actor=executive, email_immediate=False)
    wanted, read, not_wanted, too_old, not_immediate = (
        Notification.objects.create(
            recipient=recipient,
            actor=colleague,
            kind=kind,
            target_title="x",
            url="/somewhere/",
            group_key=f"{kind}:{n}",
            summary="Have a look",
        )
        for n, (recipient, kind) in enumerate(
            [
                (employee, Kind.COMMENT),
                (employee, Kind.REPLY),
                (executive, Kind.COMMENT),
                (employee, Kind.REPLY),
                (employee, Kind.MENTION),
            ]
        )
    )
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    for notification in (wanted, read, not_wanted, not_immediate):
        _age(notification, 10)
    _age(too_old, 7 * 60)
    assert email_missed_notifications() == 1
    assert len(mail.outbox) == 1
    assert set(Notification.objects.filter(emailed_at__isnull=False)) == {wanted}
