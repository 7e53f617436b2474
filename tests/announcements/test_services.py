"""Announcements' writes: who may publish, to whom, scheduling, acknowledgement, reminders,
e-mail; every refusal leaves nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from announcements import permissions, services, tasks
from announcements.models import Announcement, Audience, Receipt
from announcements.services import AnnouncementError
from communities.models import AccessMode, MembershipState
from core.refusals import NotFound
from governance.models import AuditEntry
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def publish(author, **changes):
    arguments = {
        "title": "Nouvelle politique de télétravail",
        "body": "Merci de lire la politique avant vendredi.",
        "audience": Audience.EVERYONE,
    }
    arguments.update(changes)
    return services.announcement_publish(author=author, **arguments)


def test_an_executive_publishes_to_everyone(executive, staff):
    retired = UserFactory(username="retired", is_active=False)
    announcement = publish(executive)
    recipients = set(
        Receipt.objects.filter(announcement=announcement).values_list("user", flat=True)
    )
    assert recipients == {p.pk for p in staff}  # not the author, not a deactivated account
    assert retired.pk not in recipients
    assert announcement.recipient_count == len(staff)
    assert announcement.published_at is not None
    event = ParticipationEvent.objects.get(verb=Verb.ANNOUNCED)
    assert (event.actor, event.object_id) == (executive, announcement.pk)
    assert Notification.objects.filter(kind="announcement").count() == len(staff)
    assert AuditEntry.objects.filter(action="announcement.published").exists()
    # The receipt keeps the department at publication.
    receipt = Receipt.objects.get(announcement=announcement, user=staff[0])
    assert receipt.department_id == staff[0].department_id


def test_the_communications_team_and_administrators_publish(communications, administrator, staff):
    assert publish(communications).recipient_count == len(staff) + 1  # the administrator too
    assert publish(administrator).recipient_count == len(staff) + 1


@pytest.mark.parametrize("role", ["employee", "community_manager", "inactive_executive"])
def test_others_may_not_publish(role, staff):
    person = {
        "employee": lambda: UserFactory(username="plain"),
        "community_manager": lambda: UserFactory(username="cm", is_community_manager=True),
        "inactive_executive": lambda: UserFactory(
            username="gone", is_executive=True, is_active=False
        ),
    }[role]()
    with pytest.raises(PermissionDenied):
        publish(person)
    assert not Announcement.objects.exists()


def test_departments_audience(executive, staff, sales, finance):
    announcement = publish(executive, audience=Audience.DEPARTMENTS, departments=[finance])
    assert set(announcement.receipts.values_list("user__department", flat=True)) == {finance.pk}


def test_community_audience_is_its_active_members(executive, staff):
    community = CommunityFactory(access=AccessMode.PRIVATE)
    MembershipFactory(community=community, user=executive)
    MembershipFactory(community=community, user=staff[0])
    MembershipFactory(community=community, user=staff[1], state=MembershipState.INVITED)
    announcement = publish(executive, audience=Audience.COMMUNITY, community=community)
    assert list(announcement.receipts.values_list("user", flat=True)) == [staff[0].pk]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"audience": "planet"}, "audience"),
        ({"audience": Audience.DEPARTMENTS}, "departments"),
        ({"audience": Audience.COMMUNITY}, "community"),
        ({"requires_ack": False, "deadline": "soon"}, "deadline"),
        ({"deadline": "past"}, "deadline"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(executive, staff, changes, field):
    now = timezone.now()
    if changes.get("deadline") == "soon":
        changes["deadline"] = now + timedelta(days=2)
    elif changes.get("deadline") == "past":
        changes["deadline"] = now - timedelta(days=1)
    with pytest.raises(AnnouncementError) as refused:
        publish(executive, **changes)
    assert refused.value.field == field
    assert not Announcement.objects.exists() and not Receipt.objects.exists()
    assert not ParticipationEvent.objects.filter(verb=Verb.ANNOUNCED).exists()


def test_a_private_community_the_author_cannot_see_is_refused(executive, staff):
    secret = CommunityFactory(access=AccessMode.PRIVATE)
    MembershipFactory(community=secret, user=staff[0])
    with pytest.raises(AnnouncementError):
        publish(executive, audience=Audience.COMMUNITY, community=secret)
    assert not Announcement.objects.exists()


def test_scheduled_announcement_is_published_when_due(executive, staff):
    now = timezone.now()
    announcement = publish(executive, publish_at=now + timedelta(hours=2), at=now)
    assert announcement.published_at is None and not announcement.receipts.exists()
    assert not ParticipationEvent.objects.filter(verb=Verb.ANNOUNCED).exists()
    with pytest.raises(Http404):  # nobody but its author sees it yet
        permissions.access_announcement(staff[0], announcement.pk)
    assert services.announcement_publish_due(now=now + timedelta(hours=1)) == 0
    assert services.announcement_publish_due(now=now + timedelta(hours=3)) == 1
    assert services.announcement_publish_due(now=now + timedelta(hours=4)) == 0  # once
    announcement.refresh_from_db()
    assert announcement.published_at is not None
    assert announcement.receipts.count() == len(staff)
    assert permissions.access_announcement(staff[0], announcement.pk) == announcement


def test_acknowledge_once(executive, staff):
    announcement = publish(executive)
    reader = staff[0]
    receipt = services.announcement_acknowledge(actor=reader, announcement=announcement)
    assert receipt.acknowledged_at is not None
    again = services.announcement_acknowledge(actor=reader, announcement=announcement)
    assert again.acknowledged_at == receipt.acknowledged_at
    assert ParticipationEvent.objects.filter(verb=Verb.ACKNOWLEDGED, actor=reader).count() == 1


def test_acknowledge_refusals(executive, staff, sales, finance):
    announcement = publish(executive, audience=Audience.DEPARTMENTS, departments=[sales])
    outsider = staff[-1]  # finance: not in the audience
    with pytest.raises(NotFound):
        services.announcement_acknowledge(actor=outsider, announcement=announcement)
    with pytest.raises(AnnouncementError) as refused:  # the author sees it, did not receive it
        services.announcement_acknowledge(actor=executive, announcement=announcement)
    assert refused.value.status == 403
    informative = publish(executive, requires_ack=False)
    with pytest.raises(AnnouncementError):
        services.announcement_acknowledge(actor=staff[0], announcement=informative)
    assert not Receipt.objects.filter(acknowledged_at__isnull=False).exists()
    assert not ParticipationEvent.objects.filter(verb=Verb.ACKNOWLEDGED).exists()


def test_remind_those_who_have_not_acknowledged_once_a_day(
    executive, staff, django_capture_on_commit_callbacks
):
    now = timezone.now()
    announcement = publish(executive, at=now)
    services.announcement_acknowledge(actor=staff[0], announcement=announcement)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.announcement_remind(actor=executive, announcement=announcement, at=now)
    assert reminded == 7
    assert len(mail.outbox) == 7 and staff[0].email not in {m.to[0] for m in mail.outbox}
    assert ParticipationEvent.objects.filter(verb=Verb.REMINDED).count() == 1
    with pytest.raises(AnnouncementError):
        services.announcement_remind(
            actor=executive, announcement=announcement, at=now + timedelta(hours=23)
        )
    assert ParticipationEvent.objects.filter(verb=Verb.REMINDED).count() == 1
    mail.outbox.clear()
    later = now + timedelta(hours=25)
    with django_capture_on_commit_callbacks(execute=True):
        reminded = services.announcement_remind(
            actor=executive, announcement=announcement, at=later
        )
    assert reminded == 7
    assert len(mail.outbox) == 7
    # The e-mail task run again sends nothing twice.
    assert tasks.send_reminder_emails(announcement.pk) == 0


def test_remind_refusals(executive, staff, administrator):
    announcement = publish(executive)
    with pytest.raises(PermissionDenied):  # a recipient, not its author
        services.announcement_remind(actor=staff[0], announcement=announcement)
    other = UserFactory(username="other.exec", is_executive=True, department=None)
    scoped = publish(other, audience=Audience.DEPARTMENTS, departments=[staff[0].department])
    with pytest.raises(NotFound):  # an executive outside the audience: it does not exist
        services.announcement_remind(actor=executive, announcement=scoped)
    informative = publish(executive, requires_ack=False)
    with pytest.raises(AnnouncementError):
        services.announcement_remind(actor=executive, announcement=informative)
    scheduled = publish(executive, publish_at=timezone.now() + timedelta(days=1))
    with pytest.raises(AnnouncementError):
        services.announcement_remind(actor=executive, announcement=scheduled)
    small = publish(executive, audience=Audience.DEPARTMENTS, departments=[staff[-1].department])
    for person in staff[-2:]:
        services.announcement_acknowledge(actor=person, announcement=small)
    with pytest.raises(AnnouncementError):  # everyone has read it
        services.announcement_remind(actor=executive, announcement=small)
    assert not ParticipationEvent.objects.filter(verb=Verb.REMINDED).exists()
    # Administrators may remind for any announcement.
    assert services.announcement_remind(actor=administrator, announcement=scoped) == 6


def test_email_on_publish_in_each_recipients_language(
    executive, staff, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        announcement = publish(
            executive, send_email=True, deadline=timezone.now() + timedelta(days=3)
        )
    assert len(mail.outbox) == len(staff)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    french = next(p for p in staff if p.preferred_language == "fr")
    english = next(p for p in staff if p.preferred_language == "en")
    assert subjects[french.email].startswith("Annonce")
    assert subjects[english.email].startswith("Announcement")
    assert "/announcements/" in mail.outbox[0].body
    # Safe to run twice: nobody gets it again.
    assert tasks.send_announcement_emails(announcement.pk) == 0
    assert len(mail.outbox) == len(staff)


def test_no_email_unless_asked(executive, staff, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(executive)
    assert mail.outbox == []
