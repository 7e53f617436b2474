"""Communities' part of the publishing-rights map (core.content.RightsSource): the live rules
of communities.permissions, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.utils import translation

from communities.models import AccessMode, Membership, MembershipState, Role
from core import content
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _source() -> content.RightsSource:
    source = content.kind("thread").rights_source
    assert source is not None
    return source


def _answers(person, place=None) -> dict[tuple[str, str], tuple[bool, str]]:
    """(place, ask) -> (allowed, role); roles are translated labels, compared in English."""
    with translation.override("en"):
        rights = _source().rights([person], place=place)[person.pk]
        return {(r.place, r.ask): (r.allowed, str(r.role)) for r in rights}


def test_rights_follow_the_live_rules(open_community, employee, manager, administrator):
    place = f"community:{open_community.pk}"
    assert _answers(employee) == {
        (place, "post"): (True, "member"),
        (place, "announce"): (False, "member"),
        (place, "moderate"): (False, "member"),
    }
    assert _answers(manager) == {
        (place, ask): (True, "manager") for ask in ("post", "announce", "moderate")
    }
    # Administrators post, announce and moderate in every community, member or not: what
    # the map shows as "every community (administrator)".
    assert _answers(administrator) == {
        (place, ask): (True, "") for ask in ("post", "announce", "moderate")
    }
    right = _source().rights([manager])[manager.pk][0]
    assert right.place_label == open_community.name


def test_a_change_of_rule_shows_at_once(open_community, employee):
    """No hand-kept list: promoting someone in the community changes the answer."""
    Membership.objects.filter(user=employee, community=open_community).update(role=Role.MANAGER)
    assert _answers(employee)[(f"community:{open_community.pk}", "announce")] == (True, "manager")


def test_pending_invitation_gives_no_right(employee):
    private = CommunityFactory(access=AccessMode.PRIVATE, slug="prive")
    MembershipFactory(community=private, user=employee, state=MembershipState.INVITED)
    assert not any(allowed for allowed, _ in _answers(employee).values())
    assert {role for _, role in _answers(employee).values()} == {""}


def test_places_and_the_place_filter(open_community, private_community, employee):
    assert _source().places() == [
        (f"community:{open_community.pk}", open_community.name),
        (f"community:{private_community.pk}", private_community.name),
    ]
    only = _answers(employee, place=f"community:{private_community.pk}")
    assert {place for place, _ in only} == {f"community:{private_community.pk}"}
    assert _source().rights([employee], place="blog") == {employee.pk: []}


@pytest.mark.parametrize("count", [1, 12])
def test_a_fixed_number_of_queries(open_community, django_assert_num_queries, count):
    people = [UserFactory() for _ in range(count)]
    for person in people[::2]:
        MembershipFactory(community=open_community, user=person)
    CommunityFactory()
    with django_assert_num_queries(2):
        rights = _source().rights(people)
    assert len(rights) == count
    assert all(len(r) == 6 for r in rights.values())
