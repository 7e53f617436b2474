"""The publishing-rights map: generated from the live rules (each content app's rights source,
through core.content), filtered, changed and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities.models import AccessMode, Membership, Role
from console import rights, services
from governance.models import AuditEntry
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _rights_of(person):
    return rights.people_rights([person])[0]


def test_rights_follow_the_live_rules(employee, manager, executive, administrator, community):
    emp = _rights_of(employee)
    assert emp.own_blog and not emp.leadership
    assert [(c.place, c.label, c.post, c.announce, c.moderate) for c in emp.shared_places] == [
        (f"community:{community.pk}", community.name, True, False, False)
    ]
    man = _rights_of(manager)
    assert [(c.post, c.announce, c.moderate) for c in man.shared_places] == [(True, True, True)]
    assert _rights_of(executive).leadership
    admin = _rights_of(administrator)
    assert admin.every_place and admin.moderates_everything
    assert not emp.every_place and not man.every_place


def test_delegates_prepare_for_their_executive(executive, employee):
    from blogs.services import delegation_grant

    delegation_grant(actor=executive, executive=executive, delegate=employee)
    assert _rights_of(employee).prepares_for == [executive.name]
    assert _rights_of(executive).prepares_for == []


def test_a_change_of_rule_shows_at_once(employee, community):
    """No hand-kept list: promoting someone in the community changes the map."""
    Membership.objects.filter(user=employee, community=community).update(role=Role.MANAGER)
    assert _rights_of(employee).announces_in[0].place == f"community:{community.pk}"


def test_pending_invitation_gives_no_right(employee):
    private = CommunityFactory(access=AccessMode.PRIVATE, slug="prive")
    MembershipFactory(community=private, user=employee, state="invited")
    assert _rights_of(employee).shared_places == []


def test_the_map_is_for_administrators_only(client, employee, manager, executive):
    for person in (employee, manager, executive):
        client.force_login(person)
        assert client.get(reverse("governance:rights_map")).status_code == 404
        response = client.post(
            reverse("governance:rights_role"),
            {"person": employee.pk, "role": "executive", "granted": "1"},
        )
        assert response.status_code == 404
    employee.refresh_from_db()
    assert not employee.is_executive


def test_filters_by_person_department_and_place(
    client, administrator, employee, manager, colleague, community, django_assert_max_num_queries
):
    sales = DepartmentFactory(name="Ventes", slug="ventes")
    UserFactory(username="vera.sales", last_name="Vendeuse", department=sales)
    client.force_login(administrator)
    url = reverse("governance:rights_map")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    listed = lambda response: {r.person.username for r in response.context["page"].object_list}  # noqa: E731
    assert listed(client.get(url, {"q": "Laurent"})) == {"sophie.manager"}
    assert listed(client.get(url, {"department": sales.pk})) == {"vera.sales"}
    # Administrators may announce and moderate in every community: the rules say so.
    assert listed(client.get(url, {"place": "announcements"})) == {
        manager.username,
        administrator.username,
    }
    assert listed(client.get(url, {"place": f"community:{community.pk}"})) == {
        manager.username,
        employee.username,
        colleague.username,
        administrator.username,
    }
    moderators = listed(client.get(url, {"place": "moderation"}))
    assert moderators == {manager.username, administrator.username}
    # An unknown place is a form error shown on the page, not a crash.
    response = client.get(url, {"place": "nowhere", "q": "Laurent"})
    assert response.status_code == 200
    assert response.context["form"].errors["place"]


def test_grant_the_executive_role_is_audited(client, administrator, employee):
    client.force_login(administrator)
    response = client.post(
        reverse("governance:rights_role"),
        {
            "person": employee.pk,
            "role": "executive",
            "granted": "1",
            "next": reverse("governance:rights_map") + "?q=x",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    assert response.url.endswith("?q=x")
    employee.refresh_from_db()
    assert employee.is_executive
    entry = AuditEntry.objects.get(action="role.granted")
    assert entry.actor == administrator
    assert entry.before == {"is_executive": False}
    assert entry.after == {"is_executive": True}
    services.role_set(actor=administrator, person=employee, role="executive", granted=False)
    assert AuditEntry.objects.filter(action="role.withdrawn").count() == 1


def test_role_changes_are_refused_to_non_administrators(employee, colleague):
    with pytest.raises(PermissionDenied):
        services.role_set(actor=employee, person=colleague, role="executive", granted=True)
    with pytest.raises(ValidationError):
        services.role_set(
            actor=UserFactory(is_superuser=True), person=colleague, role="pope", granted=True
        )


def test_the_map_offers_to_make_a_member_a_manager(client, administrator, employee, community):
    """The form posts to the communities app's own write (which checks and audits it), with
    the person and the community chosen, and brings the administrator back to the map."""
    client.force_login(administrator)
    page = client.get(reverse("governance:rights_map"), {"q": employee.last_name})
    html = page.content.decode()
    assert reverse("communities:rights_manager_set") in html
    assert 'id="grant-person"' in html and "data-people-picker" in html
    assert f'<option value="{community.pk}">' in html
    back = reverse("governance:rights_map") + f"?q={employee.last_name}"
    response = client.post(
        reverse("communities:rights_manager_set"),
        {"person": employee.username, "community": community.pk, "role": "manager", "next": back},
    )
    assert response.status_code == 302 and response.url == back
    assert Membership.objects.get(user=employee, community=community).role == Role.MANAGER
    assert AuditEntry.objects.filter(action="membership.role").exists()


def test_non_members_must_be_invited_first(client, administrator, employee):
    other = CommunityFactory(slug="autre")
    client.force_login(administrator)
    response = client.post(
        reverse("communities:rights_manager_set"),
        {"person": employee.username, "community": other.pk, "role": "manager",
         "next": reverse("governance:rights_map")},
        follow=True,
    )  # fmt: skip
    assert "invite them first" in response.content.decode()
    assert not Membership.objects.filter(user=employee, community=other).exists()


def test_a_bad_role_change_is_explained(client, administrator, employee):
    client.force_login(administrator)
    response = client.post(
        reverse("governance:rights_role"),
        {"person": employee.pk, "role": "pope", "granted": "1"},
        follow=True,
    )
    assert "This change is not valid." in response.content.decode()
    employee.refresh_from_db()
    assert not employee.is_executive
