"""Administrators make someone manager of a community (official announcements, moderation) or
a member again, from governance's publishing-rights map (moved here from tests/governance)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities import services
from communities.models import Membership, Role
from governance.models import AuditEntry
from tests.communities.factories import CommunityFactory

pytestmark = pytest.mark.django_db

URL = "communities:rights_manager_set"


def test_grant_announcement_rights_in_a_community(client, administrator, employee, open_community):
    """A communications officer gets official announcements: manager of the community."""
    client.force_login(administrator)
    back = reverse("governance:rights_map") + "?q=x"
    response = client.post(
        reverse(URL),
        {
            "person": employee.username,
            "community": open_community.pk,
            "role": "manager",
            "next": back,
        },
    )
    assert response.status_code == 302 and response.url == back
    membership = Membership.objects.get(user=employee, community=open_community)
    assert membership.role == Role.MANAGER
    assert AuditEntry.objects.filter(action="membership.role").exists()
    client.post(
        reverse(URL),
        {"person": employee.username, "community": open_community.pk, "role": "member"},
    )
    assert Membership.objects.get(user=employee, community=open_community).role == Role.MEMBER


def test_non_members_must_be_invited_first(client, administrator, employee):
    other = CommunityFactory(slug="autre")
    client.force_login(administrator)
    response = client.post(
        reverse(URL),
        {"person": employee.username, "community": other.pk, "role": "manager"},
        follow=True,
    )
    assert "invite them first" in response.content.decode()
    assert not Membership.objects.filter(user=employee, community=other).exists()


def test_only_administrators_change_community_roles(
    client, manager, employee, open_community, administrator
):
    with pytest.raises(PermissionDenied):
        services.community_role_set(
            actor=manager, person=employee, community_id=open_community.pk, role="manager"
        )
    client.force_login(manager)  # a manager of this very community, but not an administrator
    response = client.post(
        reverse(URL),
        {"person": employee.username, "community": open_community.pk, "role": "manager"},
    )
    assert response.status_code == 404
    assert Membership.objects.get(user=employee, community=open_community).role == Role.MEMBER


def test_the_refusal_is_a_refusal(administrator, employee):
    other = CommunityFactory(slug="ailleurs")
    with pytest.raises(services.CommunityError) as refused:
        services.community_role_set(
            actor=administrator, person=employee, community_id=other.pk, role="manager"
        )
    assert (
        str(refused.value)
        == f"{employee.name} is not a member of this community: invite them first."
    )


def test_a_bad_change_is_explained_and_the_next_address_must_be_safe(
    client, administrator, employee, open_community
):
    client.force_login(administrator)
    response = client.post(
        reverse(URL),
        {
            "person": employee.username,
            "community": open_community.pk,
            "role": "pope",
            "next": "https://evil.example/",
        },
        follow=True,
    )
    assert "This change is not valid." in response.content.decode()
    assert response.redirect_chain[0][0] == reverse("governance:rights_map")
