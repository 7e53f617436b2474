"""Hiding and restoring a thread from its page: governance's one moderation path (a reason,
one audit row, the author told once, a live update)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.models import Thread
from core.models import HIDDEN_REASON_MAX_LENGTH
from governance.models import AuditEntry
from notifications.models import Notification
from tests.communities.factories import ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(open_community, employee):
    return ThreadFactory(community=open_community, author=employee, title="Un sujet délicat")


def _hide_url(thread) -> str:
    return reverse("communities:thread_hide", args=[thread.community.slug, thread.pk])


def test_the_thread_page_offers_managers_a_hide_form_with_a_reason(client, thread, manager):
    client.force_login(manager)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'data-testid="thread-hide"' in page and 'name="reason"' in page
    assert client.get(_hide_url(thread)).status_code == 200


def test_hiding_requires_a_reason_and_keeps_what_was_typed(client, thread, manager):
    client.force_login(manager)
    response = client.post(_hide_url(thread), {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    too_long = "Trop long " * (HIDDEN_REASON_MAX_LENGTH // 10 + 1)
    response = client.post(_hide_url(thread), {"reason": too_long})
    assert response.status_code == 200
    assert too_long.strip() in response.content.decode()
    assert Thread.objects.get(pk=thread.pk).hidden_at is None
    assert not AuditEntry.objects.filter(action="thread.hidden").exists()
    assert not Notification.objects.exists()


def test_hiding_from_the_page_notifies_the_author_once_and_is_audited(
    client, thread, manager, employee, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_hide_url(thread), {"reason": "Données personnelles"})
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    thread.refresh_from_db()
    assert thread.hidden_by == manager and thread.hidden_reason == "Données personnelles"
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["thread.hidden"]
    notification = Notification.objects.get()
    assert notification.recipient == employee and notification.kind == "moderation"
    assert "Données personnelles" in notification.summary
    # Hiding again changes nothing and tells nobody twice.
    client.post(_hide_url(thread), {"reason": "Encore"})
    assert Notification.objects.count() == 1
    assert AuditEntry.objects.filter(action="thread.hidden").count() == 1


def test_restore_from_the_page(client, thread, manager, employee):
    client.force_login(manager)
    client.post(_hide_url(thread), {"reason": "Hors sujet"})
    url = reverse("communities:thread_action", args=[thread.community.slug, thread.pk, "restore"])
    client.post(url)
    thread.refresh_from_db()
    assert thread.hidden_at is None and thread.hidden_reason == ""
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "thread.hidden",
        "thread.restored",
    ]
    assert Notification.objects.filter(recipient=employee, kind="moderation").count() == 2


def test_members_may_not_hide(client, thread, employee, colleague, open_community):
    client.force_login(employee)  # its author, a member
    assert client.get(_hide_url(thread)).status_code == 403
    assert client.post(_hide_url(thread), {"reason": "Moi"}).status_code == 403
    assert Thread.objects.get(pk=thread.pk).hidden_at is None
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'data-testid="thread-hide"' not in page


def test_the_author_reads_the_notice_in_their_language(client, thread, manager, employee):
    employee.preferred_language = "fr"
    employee.save()
    client.force_login(manager)
    client.post(_hide_url(thread), {"reason": "Hors charte"})
    summary = Notification.objects.get(recipient=employee).summary
    assert "Un sujet délicat" in summary and "Hors charte" in summary
    assert "fil de discussion" in summary  # the kind's name, in the author's language
