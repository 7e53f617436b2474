"""Announcement pages and the home page: the pin until acknowledged (through the page-1
cache), invisibility outside the audience, the form's refusals, the rates by department and
the query budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from announcements import services
from announcements.content import PIN_LIMIT
from announcements.models import Announcement, Audience
from console import editorial_calendar
from console.rights import people_rights
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def publish(author, **changes):
    arguments = {
        "title": "Sécurité : nouveau badge",
        "body": "Passez à l'accueil.",
        "audience": Audience.EVERYONE,
    }
    arguments.update(changes)
    return services.announcement_publish(author=author, **arguments)


def test_pinned_on_home_until_acknowledged_then_in_the_feed(client, executive, staff):
    reader = staff[0]
    client.force_login(reader)
    client.get("/")  # page 1 is cached for the reader now
    announcement = publish(executive)
    page = client.get("/").content.decode()
    assert 'data-testid="pinned-announcement"' in page and "Sécurité : nouveau badge" in page
    response = client.post(
        f"/announcements/{announcement.pk}/acknowledge/", {"next": "/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    page = client.get("/").content.decode()
    assert 'data-testid="pinned-announcement"' not in page
    assert "Sécurité : nouveau badge" in page  # still shown, in the feed
    # A colleague's pin is untouched by someone else's acknowledgement.
    client.force_login(staff[1])
    assert 'data-testid="pinned-announcement"' in client.get("/").content.decode()


def test_outside_the_audience_it_does_not_exist(client, executive, staff, sales, finance):
    announcement = publish(executive, audience=Audience.DEPARTMENTS, departments=[sales])
    outsider = next(p for p in staff if p.department == finance)
    client.force_login(outsider)
    assert "Sécurité" not in client.get("/").content.decode()
    assert client.get(f"/announcements/{announcement.pk}/").status_code == 404
    assert client.get(f"/announcements/{announcement.pk}/acknowledgements/").status_code == 404
    assert client.post(f"/announcements/{announcement.pk}/acknowledge/").status_code == 404
    assert client.post(f"/announcements/{announcement.pk}/remind/").status_code == 404
    assert client.get("/announcements/999999/").status_code == 404
    # A recipient reads it, but does not follow its rates.
    client.force_login(next(p for p in staff if p.department == sales))
    assert client.get(f"/announcements/{announcement.pk}/").status_code == 200
    assert client.get(f"/announcements/{announcement.pk}/acknowledgements/").status_code == 403
    assert client.post(f"/announcements/{announcement.pk}/remind/").status_code == 403


def test_only_publishers_open_the_form(client, employee, executive, communications):
    client.force_login(employee)
    assert client.get("/announcements/new/").status_code == 403
    assert client.post("/announcements/new/", {"title": "x"}).status_code == 403
    assert not Announcement.objects.exists()
    client.force_login(communications)
    assert client.get("/announcements/new/").status_code == 200


def test_the_form_publishes_or_keeps_what_was_typed(client, executive, staff, sales):
    client.force_login(executive)
    response = client.post(
        "/announcements/new/",
        {
            "title": "Budget 2027",
            "body": "Lisez-le.",
            "audience": "departments",
            "requires_ack": "on",
        },
    )
    assert response.status_code == 200  # no department chosen
    assert "Choose at least one department." in response.content.decode()
    assert "Budget 2027" in response.content.decode()
    assert not Announcement.objects.exists()
    response = client.post(
        "/announcements/new/",
        {
            "title": "Budget 2027",
            "body": "Lisez-le.",
            "audience": "departments",
            "departments": [sales.pk],
            "requires_ack": "on",
        },
    )
    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/announcements/{announcement.pk}/acknowledgements/"
    assert announcement.recipient_count == 6


def test_rates_by_department_group_the_small_ones(client, executive, staff, administrator):
    announcement = publish(executive, audience=Audience.EVERYONE)
    for person in staff[:3]:
        services.announcement_acknowledge(actor=person, announcement=announcement)
    client.force_login(executive)
    page = client.get(f"/announcements/{announcement.pk}/acknowledgements/").content.decode()
    assert "Ventes" in page and "50 %" in page  # 3 of 6
    # Finance (2) and the administrator without department... together below five: no figures.
    assert "Finance" not in page and "Other departments" in page
    assert "fewer than five people: not shown" in page
    client.force_login(administrator)
    page = client.get(f"/announcements/{announcement.pk}/acknowledgements/").content.decode()
    assert "Finance" in page  # administrators see every department


def test_remind_from_the_rates_page(client, executive, staff):
    announcement = publish(executive)
    client.force_login(executive)
    response = client.post(f"/announcements/{announcement.pk}/remind/", follow=True)
    assert "Reminder sent to 8 people." in response.content.decode()
    response = client.post(f"/announcements/{announcement.pk}/remind/", follow=True)
    assert "one a day at most" in response.content.decode()


def test_french_pages(client, executive, staff):
    announcement = publish(executive)
    french = staff[1]
    assert french.preferred_language == "fr"
    client.force_login(french)
    page = client.get("/").content.decode()
    assert "Je l’ai lu" in page
    page = client.get(f"/announcements/{announcement.pk}/").content.decode()
    assert "Je l’ai lu" in page


def test_calendar_and_rights_map(executive, staff, communications):
    now = timezone.now()
    publish(executive, title="Annonce publiée")
    publish(executive, title="Annonce programmée", publish_at=now + timedelta(days=2))
    today = timezone.localdate()

    def titles(user):
        entries = editorial_calendar.calendar_entries(
            user, start=today - timedelta(days=3), end=today + timedelta(days=5)
        )
        return {
            (e.entry.title, e.entry.scheduled) for e in entries if e.entry.kind == "announcement"
        }

    assert titles(executive) == {("Annonce publiée", False), ("Annonce programmée", True)}
    assert titles(staff[0]) == {("Annonce publiée", False)}  # not the scheduled one yet
    rights = {
        r.person.pk: r.announces_in for r in people_rights([executive, communications, staff[0]])
    }
    assert rights[executive.pk] and rights[communications.pk]
    assert not rights[staff[0].pk]


def _population(n: int, departments: int) -> list:
    groups = [DepartmentFactory() for _ in range(departments)]
    return [UserFactory(department=groups[i % departments]) for i in range(n)]


@pytest.mark.parametrize("scale", [1, 10])
def test_query_budget_home_with_pins(client, executive, django_assert_max_num_queries, scale):
    """The home page with announcements pinned: flat from n to 10×n announcements and people."""
    people = _population(8 * scale, 4)
    for i in range(3 * scale):
        publish(executive, title=f"Annonce {i}")
    client.force_login(people[0])
    with django_assert_max_num_queries(15):
        page = client.get("/").content.decode()
    assert page.count('data-testid="pinned-announcement"') == min(3 * scale, PIN_LIMIT)
    with django_assert_max_num_queries(10):  # page 1 and its pins from the cache
        client.get("/")


@pytest.mark.parametrize("scale", [1, 10])
def test_query_budget_rates_page(client, executive, django_assert_max_num_queries, scale):
    people = _population(20 * scale, 4 * scale)
    announcement = publish(executive)
    for person in people[::2]:
        services.announcement_acknowledge(actor=person, announcement=announcement)
    client.force_login(executive)
    with django_assert_max_num_queries(12):
        response = client.get(f"/announcements/{announcement.pk}/acknowledgements/")
    assert response.status_code == 200


@pytest.mark.parametrize("scale", [1, 10])
def test_query_budget_index(client, executive, django_assert_max_num_queries, scale):
    people = _population(5, 1)
    for i in range(2 * scale):
        publish(executive, title=f"Annonce {i}")
    client.force_login(executive)
    with django_assert_max_num_queries(12):
        assert client.get("/announcements/").status_code == 200
    client.force_login(people[0])
    with django_assert_max_num_queries(12):
        assert client.get("/announcements/").status_code == 200


def test_the_notification_centre_shows_it_to_recipients_only(
    client, executive, staff, sales, finance
):
    publish(executive, audience=Audience.DEPARTMENTS, departments=[sales])
    client.force_login(next(p for p in staff if p.department == sales))
    assert "Sécurité : nouveau badge" in client.get("/notifications/").content.decode()
    client.force_login(next(p for p in staff if p.department == finance))
    assert "Sécurité : nouveau badge" not in client.get("/notifications/").content.decode()
