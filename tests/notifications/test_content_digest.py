"""The weekly content digest: what it holds (and never holds), who gets it and when, its
one-click unsubscribe, its idempotence, its languages and its cost."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity.services import view_record
from blogs import services as blogs
from communities import services as communities
from communities.models import AccessMode, Role
from governance.services import content_hide
from notifications.models import ContentDigestSent, DigestFrequency, NotificationPreference
from notifications.selectors import digest_week, preference_for, zone_of
from notifications.services import preference_update
from notifications.tasks import content_digest_due, send_content_digest, send_content_digests
from people.services import person_active_set
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.factories import ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db

# Monday 7 December 2026, 6:00 UTC: 7:00 in Paris (winter, UTC+1), 1:00 in New York.
MONDAY_PARIS_7 = "2026-12-07T06:00:00+00:00"
# The same Monday, 12:00 UTC: 7:00 in New York (UTC-5), 13:00 in Paris.
MONDAY_NEW_YORK_7 = "2026-12-07T12:00:00+00:00"


def _this_week(user) -> str:
    return digest_week(timezone.now(), zone_of(preference_for(user))).isoformat()


def _community(manager, member, *, access=AccessMode.OPEN, slug="open-club"):
    community = CommunityFactory(access=access, slug=slug, name=slug.title(), created_by=manager)
    MembershipFactory(community=community, user=manager, role=Role.MANAGER)
    if member is not None:
        MembershipFactory(community=community, user=member)
    return community


def _thread(author, community, title):
    return communities.thread_create(
        actor=author, community=community, kind="discussion", title=title, body="Hello all."
    )


def _post(author, title, *, publish=True):
    return blogs.post_create(actor=author, title=title, body="Un texte.", publish=publish)


@pytest.fixture
def manager(db):
    return UserFactory(username="sophie.manager", first_name="Sophie", last_name="Laurent")


@pytest.fixture
def week_of_content(employee, colleague, executive, manager):
    """A week on Ruche as `employee` (Claire) sees it, with one of each kind of item and the
    things that must stay out of her digest."""
    blogs.follow_create(actor=employee, person=colleague)
    community = _community(manager, employee)
    elsewhere = _community(manager, None, slug="not-my-club")
    unread = _post(executive, "Our strategy for 2027")
    read = _post(executive, "A word from the board")
    view_record(actor=employee, obj=read, target_user=executive)
    return {
        "followed": _post(colleague, "Le billet de Marc"),
        "thread": _thread(manager, community, "Budget of the offsite"),
        "unread_leader": unread,
        "read_leader": read,
        "not_followed": _post(manager, "Sophie's own news"),
        "not_a_member": _thread(manager, elsewhere, "Elsewhere thread"),
        "own": _post(employee, "Claire's post"),
    }


def test_the_digest_holds_followed_posts_community_threads_and_unread_leader_posts(
    employee, week_of_content
):
    assert send_content_digest(employee.pk, _this_week(employee)) == 3
    message = mail.outbox[0]
    assert message.to == [employee.email]
    assert message.subject == "[Ruche] This week for you: 3 new items"
    body = message.body
    people = body.index("New from the people you follow")
    threads = body.index("New threads in your communities")
    leaders = body.index("Leaders' posts you have not read")
    assert people < body.index("Le billet de Marc") < threads
    assert threads < body.index("Budget of the offsite") < leaders
    assert "Sophie Laurent in Open-Club" in body
    assert leaders < body.index("Our strategy for 2027")
    for left_out in ("A word from the board", "Sophie's own news", "Elsewhere", "Claire's post"):
        assert left_out not in body
    # Links are absolute (RUCHE_SITE_URL) in both parts.
    thread = week_of_content["thread"]
    assert f"http://127.0.0.1:8000{thread.get_absolute_url()}" in body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000{thread.get_absolute_url()}"' in html
    assert ContentDigestSent.objects.get(user=employee).items == 3


def test_nothing_she_may_not_see_is_ever_in_it(
    employee, colleague, executive, manager, administrator
):
    blogs.follow_create(actor=employee, person=colleague)
    secret = _community(manager, employee, access=AccessMode.PRIVATE, slug="secret-council")
    _thread(manager, secret, "Secret reorganisation")
    communities.community_leave(actor=employee, community=secret)
    hidden = _post(colleague, "A post hidden by moderation")
    content_hide(actor=administrator, obj=hidden, reason="Off topic")
    _post(colleague, "A draft of Marc", publish=False)
    gone = ExecutiveFactory(username="ex.leader", first_name="Ex", last_name="Leader")
    _post(gone, "A departed leader's farewell")
    person_active_set(person=gone, active=False)

    assert send_content_digest(employee.pk, _this_week(employee)) == 0
    assert mail.outbox == []  # nothing new that she may see: no e-mail at all
    page = Client()
    page.force_login(employee)
    preview = page.get(reverse("notifications:content_digest_preview")).content.decode()
    for never in ("Secret reorganisation", "hidden by moderation", "draft", "farewell"):
        assert never not in preview
    assert "Nothing new this week" in preview


def test_the_beat_sends_at_seven_on_monday_in_each_persons_time_zone(
    employee, colleague, week_of_content
):
    blogs.follow_create(actor=colleague, person=employee)  # Marc follows Claire's post
    preference_update(actor=colleague, time_zone="America/New_York")

    assert send_content_digests("2026-12-07T05:00:00+00:00") == 0  # 6:00 in Paris
    assert send_content_digests("2026-12-08T06:00:00+00:00") == 0  # a Tuesday
    assert send_content_digests(MONDAY_PARIS_7) >= 1
    paris = [m.to[0] for m in mail.outbox]
    assert employee.email in paris and colleague.email not in paris
    # New York's seven o'clock comes six hours later; Paris is not sent again.
    assert send_content_digests(MONDAY_NEW_YORK_7) == 1
    assert [m.to[0] for m in mail.outbox][-1] == colleague.email
    assert "Claire's post" in mail.outbox[-1].body
    assert ContentDigestSent.objects.get(user=colleague).week.isoformat() == "2026-12-07"


def test_a_task_run_twice_or_a_beat_run_twice_sends_once(employee, week_of_content):
    week = _this_week(employee)
    assert send_content_digest(employee.pk, week) == 3
    assert send_content_digest(employee.pk, week) == 0
    assert len(mail.outbox) == 1
    assert ContentDigestSent.objects.filter(user=employee).count() == 1
    # The beat knows who was sent this week and queues nobody again.
    ContentDigestSent.objects.filter(user=employee).update(week="2026-12-07")
    before = len(mail.outbox)
    send_content_digests(MONDAY_PARIS_7)
    assert employee.email not in [m.to[0] for m in mail.outbox[before:]]


def test_opting_out_or_stopping_all_email_stops_it(employee, week_of_content):
    moment = datetime.fromisoformat(MONDAY_PARIS_7)
    assert employee.pk in content_digest_due(moment)
    preference_update(actor=employee, content_digest=False)
    assert employee.pk not in content_digest_due(moment)
    assert send_content_digest(employee.pk, _this_week(employee)) == 0
    preference_update(actor=employee, content_digest=True, email_enabled=False)
    assert employee.pk not in content_digest_due(moment)
    assert send_content_digest(employee.pk, _this_week(employee)) == 0
    assert mail.outbox == []
    assert not ContentDigestSent.objects.filter(user=employee).exists()


def test_its_one_click_link_stops_this_digest_only(employee, week_of_content):
    preference_update(actor=employee, digest_frequency=DigestFrequency.DAILY)
    send_content_digest(employee.pk, _this_week(employee))
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = message.extra_headers["List-Unsubscribe"][1:-1].removeprefix("http://127.0.0.1:8000")
    assert path in message.body  # the visible link is the same one

    # A mail client following the link (GET, no session): a question, nothing changed.
    strict = Client(enforce_csrf_checks=True)
    question = strict.get(path)
    assert question.status_code == 200
    assert "the weekly digest of new content" in question.content.decode()
    assert preference_for(employee).content_digest is True

    # RFC 8058 one-click POST, without session nor CSRF token.
    done = strict.post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200
    preference = NotificationPreference.objects.get(user=employee)
    assert preference.content_digest is False
    # The notification digest and the other e-mails go on.
    assert preference.digest_frequency == DigestFrequency.DAILY
    assert preference.email_enabled is True
    # Someone else signed in may not use it (403), as every unsubscribe link.
    other = Client()
    other.force_login(week_of_content["followed"].author)
    assert other.post(path).status_code == 403


def test_it_is_written_in_french_for_a_french_reader(employee, week_of_content):
    employee.preferred_language = "fr"
    employee.save(update_fields=["preferred_language"])
    send_content_digest(employee.pk, _this_week(employee))
    message = mail.outbox[0]
    assert message.subject == "[Ruche] Cette semaine pour vous : 3 nouveautés"
    assert "Du nouveau chez les personnes que vous suivez" in message.body
    assert "Nouvelles discussions dans vos communautés" in message.body
    assert "Billets des dirigeants que vous n’avez pas lus" in message.body
    assert "Sophie Laurent dans Open-Club" in message.body
    assert "Arrêter ce récapitulatif hebdomadaire" in message.alternatives[0][0]
    assert "Bonjour Claire Dubois," in message.body


def _people_with_news(count, leader):
    people = []
    for n in range(count):
        person = UserFactory(username=f"reader-{count}-{n}")
        blogs.follow_create(actor=person, person=leader)
        people.append(person)
    return people


def test_choosing_who_is_due_costs_the_same_for_ten_times_more_people(executive):
    _post(executive, "A word from the board")
    moment = datetime.fromisoformat(MONDAY_PARIS_7)
    _people_with_news(3, executive)
    with CaptureQueriesContext(connection) as few:
        due_few = content_digest_due(moment)
    _people_with_news(30, executive)
    with CaptureQueriesContext(connection) as many:
        due_many = content_digest_due(moment)
    assert len(due_many) == len(due_few) + 30 >= 33
    assert set(due_many.values()) == {date(2026, 12, 7)}
    assert len(many) == len(few) <= 3


def test_one_persons_digest_costs_the_same_for_ten_times_more_content(employee, colleague, manager):
    blogs.follow_create(actor=employee, person=colleague)
    community = _community(manager, employee)

    def send_after(count: int) -> int:
        for n in range(count):
            _post(colleague, f"Post {count}-{n}")
            _thread(manager, community, f"Thread {count}-{n}")
        ContentDigestSent.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            send_content_digest(employee.pk, _this_week(employee))
        return len(queries)

    send_after(1)  # warm what is cached once per process (Wagtail's site roots, content types)
    few, many = send_after(1), send_after(10)
    assert many == few <= 12
    # Capped per section: an e-mail to read in a minute.
    assert mail.outbox[-1].subject == "[Ruche] This week for you: 16 new items"


def test_the_preview_shows_her_own_digest_in_a_bounded_number_of_queries(
    employee_client, employee, week_of_content, django_assert_max_num_queries
):
    url = reverse("notifications:content_digest_preview")
    with django_assert_max_num_queries(15):
        page = employee_client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Le billet de Marc" in text and "Budget of the offsite" in text
    assert "Our strategy for 2027" in text and "A word from the board" not in text
    assert "You do not receive this digest" not in text
    assert mail.outbox == []  # a preview sends nothing and marks nothing
    assert not ContentDigestSent.objects.exists()
    preference_update(actor=employee, content_digest=False)
    assert "You do not receive this digest" in employee_client.get(url).content.decode()


def test_the_preview_needs_a_session(client, employee):
    url = reverse("notifications:content_digest_preview")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_settings_page_switches_it_and_refuses_an_unknown_time_zone(employee_client, employee):
    url = reverse("notifications:settings")
    page = employee_client.get(url).content.decode()
    assert "Weekly digest of new content" in page
    assert reverse("notifications:content_digest_preview") in page
    base = {"email_enabled": "on", "digest_frequency": "weekly", "in_app_kinds": []}
    saved = employee_client.post(url, {**base, "time_zone": "America/Montreal"})
    assert saved.status_code == 302
    preference = NotificationPreference.objects.get(user=employee)
    assert (preference.content_digest, preference.time_zone) == (False, "America/Montreal")

    bad = employee_client.post(url, {**base, "content_digest": "on", "time_zone": "Mars/Olympus"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "The settings were not saved" in text
    assert re.search(r'<input[^>]*name="content_digest"[^>]*checked', text)  # kept as typed
    preference.refresh_from_db()
    assert (preference.content_digest, preference.time_zone) == (False, "America/Montreal")
    with pytest.raises(ValueError):
        preference_update(actor=employee, time_zone="Mars/Olympus")


def test_the_tasks_are_acknowledged_late():
    for task in (send_content_digests, send_content_digest):
        assert task.acks_late is True, task.name
        assert task.reject_on_worker_lost is True, task.name


def test_the_week_is_the_local_monday():
    moment = datetime.fromisoformat("2026-12-06T23:30:00+00:00")  # Monday 0:30 in Paris
    paris = zone_of(NotificationPreference())
    new_york = zone_of(NotificationPreference(time_zone="America/New_York"))
    assert digest_week(moment, paris).isoformat() == "2026-12-07"
    assert digest_week(moment, new_york).isoformat() == "2026-11-30"
    assert zone_of(NotificationPreference(time_zone="Gone/Zone")) == paris


def test_the_beat_asks_every_hour_on_the_hour():
    from ruche.celery import app

    entry = app.conf.beat_schedule["notifications-content-digest"]
    assert entry["task"] == send_content_digests.name
    assert entry["schedule"].minute == {0}
    assert entry["schedule"].hour == set(range(24))
