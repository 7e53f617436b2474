"""The notification centre: grouping, reading, visibility of targets, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification
from notifications.selectors import unread_count
from people.models import Department

pytestmark = pytest.mark.django_db

CENTRE = reverse("notifications:centre")


def test_replies_on_one_thread_are_one_line(
    notify_committed, employee_client, employee, colleague, executive, target, other_target
):
    for actor in (colleague, executive, colleague, executive, colleague):
        notify_committed(
            recipients=[employee], kind=Kind.REPLY, actor=actor, target=target, group_key="t:1"
        )
    notify_committed(recipients=[employee], kind=Kind.MENTION, actor=colleague, target=other_target)
    page = employee_client.get(CENTRE).content.decode()
    assert page.count('data-testid="notification-group"') == 2
    assert "5 new replies in “Roadmap 2027”" in page
    assert "Marc Petit mentioned you in “Offsite in Lyon”" in page
    # Newest first: the mention came last.
    assert page.index("Offsite in Lyon") < page.index("Roadmap 2027")
    assert unread_count(employee.pk) == 6


def test_the_header_shows_the_unread_count(
    notify_committed, employee_client, employee, colleague, target
):
    notify_committed(recipients=[employee], kind=Kind.MENTION, actor=colleague, target=target)
    page = employee_client.get(reverse("notifications:settings")).content.decode()
    assert 'data-unread-count="1"' in page
    assert "notifications/notifications.js" in page


def test_mark_one_group_and_all_read(
    notify_committed,
    employee_client,
    employee,
    colleague,
    target,
    other_target,
    django_capture_on_commit_callbacks,
):
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    notify_committed(recipients=[employee], kind=Kind.MENTION, actor=colleague, target=other_target)
    reply = Notification.objects.filter(kind=Kind.REPLY).first()
    with django_capture_on_commit_callbacks(execute=True):
        response = employee_client.post(
            reverse("notifications:mark_read"), {"notification": reply.pk, "page": "1"}
        )
    assert response.status_code == 302 and response["Location"] == CENTRE + "?page=1"
    assert Notification.objects.filter(kind=Kind.REPLY, read_at__isnull=True).count() == 0
    assert unread_count(employee.pk) == 1
    with django_capture_on_commit_callbacks(execute=True):
        employee_client.post(reverse("notifications:mark_read"), {"all": "1"})
    assert unread_count(employee.pk) == 0
    page = employee_client.get(CENTRE).content.decode()
    assert "2 notifications" in page  # the read group still says how many it held


def test_nobody_reads_or_opens_someone_elses_notification(
    notify_committed, client, employee, colleague, target
):
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    notification = Notification.objects.get()
    client.force_login(colleague)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    response = client.post(reverse("notifications:mark_read"), {"notification": notification.pk})
    assert response.status_code == 404
    assert client.post(reverse("notifications:mark_read"), {"notification": "x"}).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None
    assert "Roadmap 2027" not in client.get(CENTRE).content.decode()


def test_opening_a_notification_reads_it_and_goes_there(
    notify_committed, employee_client, employee, colleague, target
):
    notify_committed(
        recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target, url="/people/#c1"
    )
    notification = Notification.objects.get()
    response = employee_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/people/#c1"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_outside_link_is_never_followed(
    notify_committed, employee_client, employee, colleague, target
):
    notify_committed(
        recipients=[employee],
        kind=Kind.REPLY,
        actor=colleague,
        target=target,
        url="https://evil.example/phish",
    )
    notification = Notification.objects.get()
    response = employee_client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == CENTRE


def test_targets_the_person_can_no_longer_see_are_hidden(
    notify_committed,
    employee_client,
    employee,
    colleague,
    target,
    other_target,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=other_target)
    # The target's model answers the InteractionTarget question "may this person see me?";
    # here, as after a removal from a private community, the first target says no.
    monkeypatch.setattr(
        Department,
        "interaction_visible_to",
        lambda self, user: self.slug != "roadmap-2027",
        raising=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = employee_client.get(CENTRE).content.decode()
    assert "Roadmap 2027" not in page
    assert "Offsite in Lyon" in page
    # The hidden one no longer counts as unread either.
    assert unread_count(employee.pk) == 1


def test_a_deleted_target_disappears_from_the_centre(
    notify_committed, employee_client, employee, colleague, target
):
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    Notification.objects.update(object_id=10**9)  # the target is gone
    assert "Roadmap 2027" not in employee_client.get(CENTRE).content.decode()


def test_a_backlog_of_thousands_opens_with_bounded_queries(
    employee_client, employee, colleague, target, other_target, django_assert_max_num_queries
):
    department = ContentType.objects.get_for_model(Department)
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=employee,
                actor=colleague,
                kind=Kind.REPLY if i % 2 else Kind.MENTION,
                content_type=department,
                object_id=target.pk if i % 3 else other_target.pk,
                target_title="Roadmap 2027",
                url=f"/thread/{i % 400}/",
                summary=f"Reply number {i}",
                group_key=f"thread:{i % 400}",
                created_at=now - timedelta(minutes=i),
                read_at=now if i > 1000 else None,
            )
            for i in range(5000)
        ],
        batch_size=1000,
    )
    # Session, user, the count of groups, the page of groups, its notifications, the targets
    # (one query per kind of target), and the header badge.
    with django_assert_max_num_queries(8):
        first = employee_client.get(CENTRE)
    assert first.status_code == 200
    assert first.content.decode().count('data-testid="notification-group"') == 20
    with django_assert_max_num_queries(8):
        last = employee_client.get(CENTRE + "?page=20")
    assert last.content.decode().count('data-testid="notification-group"') == 20
    assert "Page 20 of 20" in last.content.decode()


def test_empty_centre_says_so(employee_client):
    assert "No notifications yet" in employee_client.get(CENTRE).content.decode()


def test_centre_in_french(client, colleague):
    from tests.factories import UserFactory

    french = UserFactory(username="lea.fr", preferred_language="fr")
    client.force_login(french)
    page = client.get(CENTRE).content.decode()
    assert "Tout marquer comme lu" in page


def test_the_unread_filter_keeps_only_unread_groups_across_pages(
    notify_committed, employee_client, employee, colleague, target, other_target
):
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    notify_committed(recipients=[employee], kind=Kind.MENTION, actor=colleague, target=other_target)
    mention = Notification.objects.get(kind=Kind.MENTION)
    response = employee_client.post(
        reverse("notifications:mark_read"), {"notification": mention.pk, "unread": "1"}
    )
    assert response["Location"] == CENTRE + "?unread=1"
    page = employee_client.get(CENTRE + "?unread=1").content.decode()
    assert "Roadmap 2027" in page
    assert "Offsite in Lyon" not in page
    assert "Offsite in Lyon" in employee_client.get(CENTRE).content.decode()
    employee_client.post(reverse("notifications:mark_read"), {"all": "1"})
    assert "Nothing unread." in employee_client.get(CENTRE + "?unread=1").content.decode()
