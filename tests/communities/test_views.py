"""Community pages: directory, filters, private 404s, forms that keep input, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activity.models import ParticipationEvent
from communities.models import AccessMode, Community, Membership, MembershipState, Role, Thread
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_navigation_links_to_the_directory(employee_client):
    response = employee_client.get("/")
    assert reverse("communities:index") in response.content.decode()


def test_directory_hides_private_communities_from_non_members(
    client, open_community, private_community, outsider, employee
):
    client.force_login(outsider)
    page = client.get(reverse("communities:index")).content.decode()
    assert open_community.name in page
    assert private_community.name not in page
    # Not even through search.
    page = client.get(reverse("communities:index"), {"q": "secret"}).content.decode()
    assert private_community.name not in page
    client.force_login(employee)
    assert private_community.name in client.get(reverse("communities:index")).content.decode()


def test_directory_filters_by_department_activity_and_search(employee_client, employee):
    sales = DepartmentFactory(name="Ventes", slug="ventes")
    support = DepartmentFactory(name="Service client", slug="service-client")
    both = CommunityFactory(name="Clients first", slug="clients-first")
    both.departments.set([sales, support])
    quiet = CommunityFactory(
        name="Old archive",
        slug="old-archive",
        last_activity_at=timezone.now() - timedelta(days=200),
    )
    quiet.departments.set([sales])
    url = reverse("communities:index")

    page = employee_client.get(url, {"department": support.pk}).content.decode()
    assert "Clients first" in page and "Old archive" not in page
    page = employee_client.get(url, {"activity": "month"}).content.decode()
    assert "Clients first" in page and "Old archive" not in page
    page = employee_client.get(url, {"q": "archive"}).content.decode()
    assert "Old archive" in page and "Clients first" not in page
    MembershipFactory(community=quiet, user=employee)
    page = employee_client.get(url, {"mine": "on"}).content.decode()
    assert "Old archive" in page and "Clients first" not in page


def test_private_community_urls_are_404_for_outsiders(client, private_community, outsider):
    thread = ThreadFactory(community=private_community)
    client.force_login(outsider)
    slug = private_community.slug
    for url in [
        reverse("communities:detail", args=[slug]),
        reverse("communities:members", args=[slug]),
        reverse("communities:edit", args=[slug]),
        reverse("communities:thread", args=[slug, thread.pk]),
        reverse("communities:thread_create", args=[slug]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("communities:join", args=[slug])).status_code == 404
    assert not Membership.objects.filter(user=outsider).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, open_community):
    response = client.get(open_community.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url


def test_create_a_community_makes_its_creator_manager(employee_client, employee):
    department = DepartmentFactory()
    response = employee_client.post(
        reverse("communities:create"),
        {
            "name": "Conseil des community managers",
            "description": "Coordination entre services.",
            "access": AccessMode.PRIVATE,
            "departments": [department.pk],
        },
    )
    community = Community.objects.get()
    assert response.status_code == 302 and response.url == community.get_absolute_url()
    assert community.slug == "conseil-des-community-managers"
    membership = Membership.objects.get(community=community)
    assert (membership.user, membership.role) == (employee, Role.MANAGER)
    assert ParticipationEvent.objects.filter(actor=employee, verb="joined").count() == 1


def test_bad_community_form_keeps_what_was_typed(employee_client):
    response = employee_client.post(
        reverse("communities:create"), {"name": "", "description": "Une idée à garder"}
    )
    assert response.status_code == 200
    assert "Une idée à garder" in response.content.decode()
    assert not Community.objects.exists()


def test_join_open_and_request_by_request(client, open_community, request_community, outsider):
    client.force_login(outsider)
    client.post(reverse("communities:join", args=[open_community.slug]))
    client.post(reverse("communities:join", args=[request_community.slug]))
    states = dict(Membership.objects.filter(user=outsider).values_list("community__slug", "state"))
    assert states == {"open-club": "active", "request-club": "requested"}


def test_members_cannot_manage(client, open_community, employee, colleague):
    other = MembershipFactory(community=open_community, user=colleague)
    client.force_login(employee)
    url = reverse("communities:member_action", args=[open_community.slug, other.pk, "remove"])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_manager_removes_a_member(client, open_community, manager, colleague):
    other = MembershipFactory(community=open_community, user=colleague)
    client.force_login(manager)
    url = reverse("communities:member_action", args=[open_community.slug, other.pk, "remove"])
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=other.pk).exists()


def test_thread_creation_records_the_event_and_refuses_announcements_from_members(
    employee_client, open_community, employee
):
    url = reverse("communities:thread_create", args=[open_community.slug])
    response = employee_client.post(
        url, {"kind": "announcement", "title": "Big news", "body": "Only managers announce."}
    )
    assert response.status_code == 200  # the form refuses the choice and keeps the text
    assert "Only managers announce." in response.content.decode()
    response = employee_client.post(
        url, {"kind": "question", "title": "Who handles returns?", "body": "<b>Qui</b> ?"}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    assert "<b>" not in thread.body_html and "&lt;b&gt;" in thread.body_html
    assert ParticipationEvent.objects.filter(
        actor=employee, verb="started_thread", object_id=thread.pk, community_id=open_community.pk
    ).exists()


def test_non_members_cannot_start_threads(client, open_community, outsider):
    client.force_login(outsider)
    url = reverse("communities:thread_create", args=[open_community.slug])
    response = client.post(url, {"kind": "discussion", "title": "Hello", "body": "Hi"})
    assert response.status_code == 403
    assert not Thread.objects.exists()


def test_hidden_thread_shows_who_hid_it_to_its_author(client, open_community, employee, manager):
    thread = ThreadFactory(community=open_community, author=employee)
    client.force_login(manager)
    client.post(
        reverse("communities:thread_hide", args=[open_community.slug, thread.pk]),
        {"reason": "Données personnelles"},
    )
    thread.refresh_from_db()
    assert thread.hidden_by == manager and thread.hidden_at is not None
    client.force_login(employee)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Hidden by Sophie Laurent" in page
    assert "Données personnelles" in page
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert thread.title not in client.get(open_community.get_absolute_url()).content.decode()


def test_only_managers_pin_and_lock(client, open_community, employee, manager):
    thread = ThreadFactory(community=open_community, author=employee)
    client.force_login(employee)
    url = reverse("communities:thread_action", args=[open_community.slug, thread.pk, "lock"])
    assert client.post(url).status_code == 403
    client.force_login(manager)
    client.post(url)
    client.post(reverse("communities:thread_action", args=[open_community.slug, thread.pk, "pin"]))
    thread.refresh_from_db()
    assert thread.locked and thread.pinned


def _populate(community, threads: int) -> None:
    people = [UserFactory() for _ in range(3)]
    for person in people:
        MembershipFactory(community=community, user=person)
    for n in range(threads):
        ThreadFactory(community=community, author=people[n % 3], pinned=n == 0)


@pytest.mark.parametrize("threads", [2, 40])
def test_community_page_queries_do_not_grow_with_threads(
    employee_client, open_community, django_assert_max_num_queries, threads
):
    _populate(open_community, threads)
    employee_client.get(open_community.get_absolute_url())  # warm the view cache
    with django_assert_max_num_queries(12):
        response = employee_client.get(open_community.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("communities", [2, 30])
def test_directory_queries_do_not_grow_with_communities(
    employee_client, django_assert_max_num_queries, communities
):
    department = DepartmentFactory()
    for _ in range(communities):
        CommunityFactory().departments.add(department)
    with django_assert_max_num_queries(10):
        response = employee_client.get(reverse("communities:index"))
    assert response.status_code == 200


def test_members_page_lists_pending_requests_for_managers(client, request_community, manager):
    asker = UserFactory(first_name="Nadia", last_name="Request")
    MembershipFactory(community=request_community, user=asker, state=MembershipState.REQUESTED)
    client.force_login(manager)
    page = client.get(reverse("communities:members", args=[request_community.slug]))
    assert "Nadia Request" in page.content.decode()


def test_an_invited_person_sees_the_private_community_and_accepts(
    client, private_community, manager, outsider
):
    thread = ThreadFactory(community=private_community, author=manager, title="Council only")
    client.force_login(manager)
    client.post(
        reverse("communities:invite", args=[private_community.slug]),
        {"username": outsider.username},
    )
    client.force_login(outsider)
    page = client.get(private_community.get_absolute_url()).content.decode()
    assert "Accept the invitation" in page and "Council only" not in page
    assert client.get(thread.get_absolute_url()).status_code == 404
    client.post(reverse("communities:join", args=[private_community.slug]))
    page = client.get(private_community.get_absolute_url()).content.decode()
    assert "Council only" in page


def test_inviting_an_unknown_username_says_so(client, private_community, manager):
    client.force_login(manager)
    response = client.post(
        reverse("communities:invite", args=[private_community.slug]),
        {"username": "nobody.here"},
        follow=True,
    )
    assert "Nobody active is called “nobody.here”" in response.content.decode()
