"""The editorial calendar: month and week pages, filters, and the per-person .ics feed, each
showing only what that person may see. Entries come from the content kinds' calendar
adapters (blogs: posts published and scheduled; communities: announcements) through
core.content; these tests describe what must hold once they are registered."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from blogs import services as blog_services
from communities.models import AccessMode, Role, ThreadKind
from console import editorial_calendar, services
from people.models import token_digest
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def content(employee, colleague, executive, manager):
    published = blog_services.post_create(
        actor=colleague, title="Billet publié", body="Texte", publish=True, published_at=_at(-2)
    )
    scheduled = blog_services.post_create(
        actor=colleague, title="Billet programmé", body="Texte", go_live_at=_at(3)
    )
    leader = blog_services.post_create(
        actor=executive, title="Mot de la direction", body="Texte", publish=True,
        published_at=_at(-1),
    )  # fmt: skip
    open_club = CommunityFactory(slug="club", name="Club")
    MembershipFactory(community=open_club, user=manager, role=Role.MANAGER)
    announcement = ThreadFactory(
        community=open_club, author=manager, kind=ThreadKind.ANNOUNCEMENT,
        title="Annonce officielle", created_at=_at(1),
    )  # fmt: skip
    secret = CommunityFactory(slug="secret", name="Secret", access=AccessMode.PRIVATE)
    MembershipFactory(community=secret, user=manager, role=Role.MANAGER)
    secret_announcement = ThreadFactory(
        community=secret, author=manager, kind=ThreadKind.ANNOUNCEMENT,
        title="Annonce secrète", created_at=_at(1),
    )  # fmt: skip
    ThreadFactory(community=open_club, author=manager, title="Simple discussion", created_at=_at(1))
    return {
        "published": published,
        "scheduled": scheduled,
        "leader": leader,
        "announcement": announcement,
        "secret": secret_announcement,
        "club": open_club,
    }


def _titles(user, **filters) -> set[str]:
    today = timezone.localdate()
    entries = editorial_calendar.calendar_entries(
        user, start=today - timedelta(days=10), end=today + timedelta(days=10), **filters
    )
    return {e.title for e in entries}


def test_each_person_sees_what_they_may(employee, colleague, manager, administrator, content):
    assert _titles(employee) == {"Billet publié", "Mot de la direction", "Annonce officielle"}
    # The author sees their own scheduled post; the private community stays private.
    assert "Billet programmé" in _titles(colleague)
    assert "Annonce secrète" not in _titles(colleague)
    assert "Annonce secrète" in _titles(manager)
    # Administrators plan the calendar: every scheduled post.
    assert "Billet programmé" in _titles(administrator)


def test_delegates_see_the_scheduled_posts_they_prepare(employee, executive, content):
    """A post scheduled but not yet live is seen by its author, by the people the author named
    as delegates (they prepare it) and by administrators, nobody else."""
    from blogs.services import delegation_grant
    from tests.factories import UserFactory

    scheduled = blog_services.post_create(
        actor=executive, title="Vœux programmés", body="Texte", go_live_at=_at(4)
    )
    delegate = UserFactory(username="paul.delegate")
    delegation_grant(actor=executive, executive=executive, delegate=delegate)
    assert scheduled.title in _titles(executive)
    assert scheduled.title in _titles(delegate)
    assert scheduled.title not in _titles(employee)


def test_filters_by_place_and_author(employee, colleague, executive, content):
    assert _titles(employee, place="leadership") == {"Mot de la direction"}
    assert _titles(employee, place=f"community:{content['club'].pk}") == {"Annonce officielle"}
    assert _titles(employee, author_id=colleague.pk) == {"Billet publié"}
    assert _titles(employee, place="community:nonsense") == set()


def test_month_and_week_pages(employee_client, content, django_assert_max_num_queries):
    # One query per calendar source (posts, threads, announcements, ask-me-anything sessions).
    with django_assert_max_num_queries(13):
        response = employee_client.get(reverse("governance:calendar"))
    assert response.status_code == 200
    page = response.content.decode()
    if _at(1).month == timezone.localdate().month:
        assert "Annonce officielle" in page
    assert "Annonce secrète" not in page
    assert "Billet programmé" not in page
    week = employee_client.get(
        reverse("governance:calendar_week"), {"week": _at(1).date().isoformat()}
    )
    assert "Annonce officielle" in week.content.decode()


def test_bad_filters_are_explained_not_fatal(employee_client, content):
    response = employee_client.get(
        reverse("governance:calendar"), {"author": "nobody.here", "month": "2026-13"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["author"]
    assert response.context["form"]["author"].value() == "nobody.here"
    response = employee_client.get(reverse("governance:calendar_week"), {"week": "yesterday"})
    assert response.status_code == 200


def test_ics_feed_is_token_authenticated_and_personal(client, employee, colleague, content):
    _token, secret = services.calendar_token_regenerate(user=employee)
    url = reverse("governance:calendar_feed", kwargs={"token": secret})
    response = client.get(url)  # no session: a calendar application
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = {str(e["SUMMARY"]) for e in events}
    assert any("Annonce officielle" in s for s in summaries)
    assert not any("Annonce secrète" in s or "Billet programmé" in s for s in summaries)
    # The colleague's feed has their scheduled post.
    _other, other = services.calendar_token_regenerate(user=colleague)
    colleague_feed = client.get(reverse("governance:calendar_feed", args=[other]))
    assert b"Billet programm" in colleague_feed.content


def test_ics_feed_refuses_bad_revoked_and_deactivated_tokens(client, employee):
    _token, secret = services.calendar_token_regenerate(user=employee)
    old_url = reverse("governance:calendar_feed", kwargs={"token": secret})
    assert client.get(reverse("governance:calendar_feed", args=["wrong"])).status_code == 404
    _token, new = services.calendar_token_regenerate(user=employee)
    assert client.get(old_url).status_code == 404
    new_url = reverse("governance:calendar_feed", args=[new])
    assert client.get(new_url).status_code == 200
    employee.is_active = False
    employee.save()
    assert client.get(new_url).status_code == 404


def test_subscribe_page_shows_the_address_once(client, employee_client, employee):
    """Only a digest of the secret is stored: the address is in the answer that creates it,
    never again; the page then explains that a new one must be created to see it."""
    url = reverse("governance:calendar_subscribe")
    assert 'data-testid="feed-none"' in employee_client.get(url).content.decode()
    assert services.calendar_token_for(user=employee) is None  # nothing made by a GET
    created = employee_client.post(url)
    assert "no-store" in created["Cache-Control"]
    feed_url = created.context["feed_url"]
    assert feed_url in created.content.decode()
    secret = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert services.calendar_token_for(user=employee).token_hash == token_digest(secret)
    assert client.get(feed_url).status_code == 200
    later = employee_client.get(url).content.decode()
    assert secret not in later and 'data-testid="feed-hidden"' in later
    renewed = employee_client.post(url)
    assert renewed.context["replaced"] and secret not in renewed.content.decode()
    assert client.get(feed_url).status_code == 404


def test_calendar_needs_a_session(client):
    response = client.get(reverse("governance:calendar"))
    assert response.status_code == 302
    assert "login" in response.url


def test_month_grid_starts_on_monday():
    weeks = editorial_calendar.month_grid(2026, 11)
    assert weeks[0][0] == date(2026, 10, 26)
    assert all(len(week) == 7 for week in weeks)
