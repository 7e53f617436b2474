"""The moderation queue, end to end, on the one moderation path: a report hidden from the queue
page goes through governance.services.content_hide (the content's own rule, one audit row for
the content, one notification to its author with the reason), and the report decision adds
only its own audit row. Restoring is symmetrical.

Needs the content kinds' adapters (blogs, communities, interactions) registered in
core.content."""

from __future__ import annotations

import pytest
from django.urls import reverse

from console import services
from console.models import Report, ReportStatus
from governance.models import AuditEntry
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(colleague):
    from blogs import services as blog_services

    return blog_services.post_create(
        actor=colleague, title="Un billet contesté", body="Texte", publish=True
    )


def _decide(client, report: Report, decision: str, note: str = ""):
    url = reverse("governance:moderation_decide", args=[report.pk, decision])
    return client.post(url, {"note": note})


@pytest.mark.parametrize(
    ("kind", "fixture", "moderator"),
    [
        ("thread", "thread", "manager"),
        ("reply", "reply", "manager"),
        ("post", "post", "administrator"),
    ],
)
def test_hide_and_restore_from_the_queue(
    request, client, employee, colleague, kind, fixture, moderator,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    obj = request.getfixturevalue(fixture)
    moderator = request.getfixturevalue(moderator)
    report, _created = services.report_create(
        reporter=employee, kind=kind, object_id=obj.pk, reason="disrespect"
    )
    client.force_login(moderator)
    queue = client.get(reverse("governance:moderation_queue")).content.decode()
    assert f"report-{report.pk}" in queue

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, report, "hide", "Propos hors charte.")
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.hidden_at is not None and obj.hidden_by == moderator
    assert obj.hidden_reason == "Propos hors charte."
    report.refresh_from_db()
    assert report.status == ReportStatus.HIDDEN
    assert AuditEntry.objects.filter(action=f"{kind}.hidden", target_id=str(obj.pk)).count() == 1
    assert AuditEntry.objects.filter(action="report.hidden").count() == 1
    told = Notification.objects.filter(recipient=colleague, kind="moderation")
    assert told.count() == 1  # once, by content_hide, not again by the report decision
    assert "Propos hors charte." in told.get().summary

    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(client, report, "restore")
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.hidden_at is None and obj.hidden_reason == ""
    assert AuditEntry.objects.filter(action=f"{kind}.restored").count() == 1
    assert Notification.objects.filter(recipient=colleague, kind="moderation").count() == 2


def test_content_hidden_elsewhere_meanwhile_closes_the_report_without_a_second_notice(
    employee, manager, colleague, thread, django_capture_on_commit_callbacks
):
    """Hidden from the thread page first (the same path), then the report is decided: no second
    audit row for the thread, no second notification."""
    from governance.services import content_hide

    report, _created = services.report_create(
        reporter=employee, kind="thread", object_id=thread.pk, reason="spam"
    )
    with django_capture_on_commit_callbacks(execute=True):
        content_hide(actor=manager, obj=thread, reason="Publicité.")
        services.report_hide(moderator=manager, report=report, note="Publicité.")
    report.refresh_from_db()
    assert report.status == ReportStatus.HIDDEN
    assert AuditEntry.objects.filter(action="thread.hidden").count() == 1
    assert Notification.objects.filter(recipient=colleague, kind="moderation").count() == 1


def test_a_decision_on_vanished_content_is_explained(client, employee, manager, thread):
    report, _created = services.report_create(
        reporter=employee, kind="thread", object_id=thread.pk, reason="spam"
    )
    type(thread).objects.filter(pk=thread.pk).delete()
    client.force_login(manager)
    response = _decide(client, report, "hide", "Trop tard.")
    assert response.status_code == 200
    assert "This content no longer exists." in response.content.decode()
    assert response.context["form"]["note"].value() == "Trop tard."
    report.refresh_from_db()
    assert report.is_open
