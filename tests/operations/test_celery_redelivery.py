"""A worker lost mid-task (kill -9) gets its task again; the re-run sends nothing twice."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail

from notifications.models import Kind, Notification
from notifications.tasks import send_digest, send_notification_email
from people import services as people_services
from people.tasks import send_welcome_email
from ruche.celery import app

pytestmark = pytest.mark.django_db

EMAIL_TASKS = (send_notification_email, send_digest, send_welcome_email)


def test_email_tasks_are_acknowledged_late_and_requeued_when_the_worker_is_lost():
    for task in EMAIL_TASKS:
        assert task.acks_late is True, task.name
        assert task.reject_on_worker_lost is True, task.name
    assert app.conf.worker_prefetch_multiplier == 1


def _notification(recipient, actor) -> Notification:
    return Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=Kind.COMMENT,
        content_type=ContentType.objects.get_for_model(actor),
        object_id=actor.pk,
        target_title="x",
        url="/somewhere/",
        group_key="comment:x",
        summary="Have a look",
    )


def test_a_redelivered_notification_email_is_sent_once(employee, colleague):
    notification = _notification(employee, colleague)
    # The same message twice, as the broker re-delivers it after a lost worker.
    first = send_notification_email.apply(args=(notification.pk,), task_id="same-message")
    again = send_notification_email.apply(args=(notification.pk,), task_id="same-message")
    assert (first.get(), again.get()) == (True, False)
    assert len(mail.outbox) == 1


def test_a_redelivered_welcome_email_is_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = people_services.user_create(
            username="new.hire", email="new.hire@ruche.test", first_name="New", last_name="Hire"
        )
    assert len(mail.outbox) == 1
    assert send_welcome_email.apply(args=(user.pk,)).get() is False
    assert len(mail.outbox) == 1
