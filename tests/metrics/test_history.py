"""Membership, departments and accounts as they were on each day.

The organisation of `conftest.org` is computed, then people move, leave communities and are
deactivated; the figures of the days before stay as they were, the days after follow, and a
re-roll gives the same rows as a computation from scratch.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from activity.models import ParticipationEvent, Verb
from communities.models import Membership
from communities.services import (
    community_create,
    community_invite,
    community_join,
    community_leave,
    member_remove,
)
from metrics.models import CommunitySnapshot, MembershipDay, ScopeDay
from metrics.services import metrics_refresh
from people.models import PersonHistory
from tests.factories import UserFactory
from tests.metrics.factories import at, event
from tests.metrics.test_rollups import dump, wipe


def organisation_on(day):
    return ScopeDay.objects.get(day=day, department_id__isnull=True)


def department_on(day, department):
    return ScopeDay.objects.get(day=day, department_id=department.pk)


def recompute(org):
    metrics_refresh(since=org.day - timedelta(days=45), until=org.day)


def test_a_move_between_two_computations_changes_only_the_days_after_it(rolled):
    before_move = rolled.day - timedelta(days=3)
    old = {d: (department_on(d, rolled.a), department_on(d, rolled.b)) for d in (before_move,)}
    a_then = old[before_move][0].population, old[before_move][1].population
    # a3 moves from Alpha to Beta two days before D (a dated change, as an import would).
    rolled.a3.department = rolled.b
    rolled.a3.save(history_at=at(rolled.day - timedelta(days=2), 9))
    recompute(rolled)
    a_now = (
        department_on(before_move, rolled.a).population,
        department_on(before_move, rolled.b).population,
    )
    assert a_now == a_then == (3, 2)
    assert department_on(rolled.day, rolled.a).population == 2
    assert department_on(rolled.day, rolled.b).population == 3
    # a3 viewed on D-1 (reached), in Beta that day.
    assert department_on(rolled.day, rolled.b).reached == 2
    recomputed = dump()
    wipe()
    recompute(rolled)
    assert dump() == recomputed


def test_a_move_now_never_changes_a_past_day(rolled):
    first = dump()
    rolled.b1.department = rolled.a
    rolled.b1.save()  # today: every computed day is before it
    recompute(rolled)
    assert dump() == first


def test_a_deactivated_account_leaves_every_figure_from_its_deactivation_on(rolled):
    before = organisation_on(rolled.day)
    earlier = organisation_on(rolled.day - timedelta(days=2))
    # b1 replied to b2 (same department) and commented on a1's post (across); a1 answered
    # b1 (across).
    assert (before.population, before.engaged, before.interactions) == (5, 4, 3)
    assert before.cross_department_interactions == 2
    rolled.b1.is_active = False
    rolled.b1.save(history_at=at(rolled.day - timedelta(days=1), 18))
    recompute(rolled)
    after = organisation_on(rolled.day)
    assert (after.population, after.engaged, after.contributors) == (4, 3, 2)
    # b1's comment and reply leave the interaction figures with them; a1's answer stays.
    assert (after.interactions, after.cross_department_interactions) == (1, 1)
    # b2's thread, answered by b1 within 24 h, still counts (threads count whoever answered).
    assert (
        (after.threads, after.threads_answered_24h)
        == (1, 1)
        == (
            before.threads,
            before.threads_answered_24h,
        )
    )
    # The days before the deactivation are unchanged.
    assert organisation_on(rolled.day - timedelta(days=2)).population == earlier.population == 5
    assert organisation_on(rolled.day - timedelta(days=2)).engaged == earlier.engaged


def test_leaving_a_community_ends_membership_and_its_cross_department_status(rolled):
    # a2 (Alpha) and b2 (Beta) joined community 7 at D-10; b2 leaves at D-4.
    event(
        rolled.b2,
        Verb.LEFT,
        at(rolled.day - timedelta(days=4)),
        object_type="communities.community",
        object_id=7,
        community_id=7,
    )
    recompute(rolled)
    assert organisation_on(rolled.day - timedelta(days=5)).cross_department_communities == 1
    assert organisation_on(rolled.day - timedelta(days=4)).cross_department_communities == 0
    community = CommunitySnapshot.objects.get(day=rolled.day, community_id=7)
    assert (community.members, community.departments) == (1, 1)


def test_joining_and_leaving_the_same_day_keeps_the_last_state(rolled):
    day = rolled.day - timedelta(days=1)
    for hour, verb in ((9, Verb.LEFT), (11, Verb.JOINED), (15, Verb.LEFT)):
        event(
            rolled.a2,
            verb,
            at(day, hour),
            object_type="communities.community",
            object_id=7,
            community_id=7,
        )
    recompute(rolled)
    assert MembershipDay.objects.get(day=day, user_id=rolled.a2.pk).member is False
    assert CommunitySnapshot.objects.get(day=rolled.day, community_id=7).members == 1


@pytest.fixture
def community(db):
    manager = UserFactory(username="cm", is_community_manager=True)
    return community_create(actor=manager, name="Atelier"), manager


def test_membership_services_record_leaving_removal_and_invitation(community):
    place, manager = community
    member, invited, removed = UserFactory(), UserFactory(), UserFactory()
    community_join(actor=member, community=place)
    community_join(actor=removed, community=place)
    community_invite(actor=manager, community=place, user=invited)
    community_leave(actor=member, community=place)
    member_remove(actor=manager, membership=Membership.objects.get(user=removed))
    verbs = list(
        ParticipationEvent.objects.filter(community_id=place.pk)
        .order_by("id")
        .values_list("verb", "actor_id", "target_user_id")
    )
    assert verbs[-3:] == [
        (Verb.INVITED, manager.pk, invited.pk),
        (Verb.LEFT, member.pk, None),
        (Verb.REMOVED, manager.pk, removed.pk),
    ]
    # Declining an invitation ends no membership: no event.
    community_leave(actor=invited, community=place)
    assert ParticipationEvent.objects.filter(community_id=place.pk).count() == len(verbs)


def test_every_change_of_department_status_or_role_is_dated(db, org):
    person = org.a3
    rows = PersonHistory.objects.filter(user=person)
    assert rows.count() == 1
    person.job_title = "Chef"
    person.save()
    assert rows.count() == 1  # not a change the metrics keep
    person.is_executive = True
    person.save()
    person.department = org.b
    person.save(update_fields=["department"])
    assert list(rows.order_by("since", "pk").values_list("department_id", "is_executive")) == [
        (org.a.pk, False),
        (org.a.pk, True),
        (org.b.pk, True),
    ]
