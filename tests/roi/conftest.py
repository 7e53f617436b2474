"""A small hand-made history for the worksheet: two departments, five people, one executive,
two threads, cross-department comments, a newcomer. The tests count what they expect from
these events by hand (not by calling the code that computes them)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from activity.models import Verb
from people.models import PersonHistory, User
from roi.models import LineKind, Period
from roi.services import LineInput, worksheet_version_save
from tests.factories import AdminFactory, DepartmentFactory, ExecutiveFactory, UserFactory
from tests.metrics.factories import at, event, joined_long_ago

ASSUMPTIONS = {
    "currency": "EUR",
    "hourly_cost": Decimal("50"),
    "minutes_per_answer": Decimal("30"),
    "minutes_per_connection": Decimal("12"),
    "hours_per_newcomer": Decimal("4"),
    "minutes_per_person_reached": Decimal("6"),
    "licence_cost_per_year": Decimal("3650"),
    "staff_cost_per_year": Decimal("0"),
}


@pytest.fixture
def history(db):
    """D = 5 days ago; the period measured is the 10 days ending on D."""
    day = timezone.localdate() - timedelta(days=5)
    alpha = DepartmentFactory(name="Alpha", slug="alpha")
    beta = DepartmentFactory(name="Beta", slug="beta")
    boss = ExecutiveFactory(username="boss", department=alpha)
    a2 = UserFactory(username="a2", department=alpha)
    b1 = UserFactory(username="b1", department=beta)
    b2 = UserFactory(username="b2", department=beta)
    joined_long_ago(boss, a2, b1, b2)

    def ago(days, hour=12, minute=0):
        return at(day - timedelta(days=days), hour, minute)

    # Thread 5 by b2, answered by a2 (Alpha → Beta) 2 h later: answered, cross-department.
    t5 = {"object_type": "communities.thread", "object_id": 5, "community_id": 7}
    event(b2, Verb.STARTED_THREAD, ago(4, 9), **t5)
    event(a2, Verb.REPLIED, ago(4, 11), target=b2, **t5)
    # Thread 6 by a2, answered by its own author only: not answered.
    t6 = {"object_type": "communities.thread", "object_id": 6, "community_id": 7}
    event(a2, Verb.STARTED_THREAD, ago(3, 9), **t6)
    event(a2, Verb.REPLIED, ago(3, 10), target=a2, **t6)
    # Thread 8 by b1, answered 30 h later by b2 (same department).
    t8 = {"object_type": "communities.thread", "object_id": 8, "community_id": 7}
    event(b1, Verb.STARTED_THREAD, ago(6, 8), **t8)
    event(b2, Verb.REPLIED, ago(5, 14), target=b1, **t8)
    # The executive posts; a2, b1 and b2 read it; b1 comments (Beta → Alpha).
    event(boss, Verb.POSTED, ago(2, 8), object_id=10)
    for reader in (a2, b1, b2):
        event(reader, Verb.VIEWED, ago(2, 9), object_id=10, target=boss)
    event(b1, Verb.COMMENTED, ago(1, 12), object_id=10, target=boss)
    # A newcomer hired 8 days before D (Beta) reacts to the post: engaged within 12 months.
    newcomer = UserFactory(username="n1", department=beta)
    hired = ago(8, 8)
    User.objects.filter(pk=newcomer.pk).update(date_joined=hired)
    PersonHistory.objects.filter(user=newcomer).update(since=hired)
    event(newcomer, Verb.REACTED, ago(1, 15), object_id=10, target=boss)
    # Before the period (20 days before D): a thread and a view that must not count in it.
    t9 = {"object_type": "communities.thread", "object_id": 9, "community_id": 7}
    event(b1, Verb.STARTED_THREAD, ago(20, 9), **t9)
    event(a2, Verb.REPLIED, ago(20, 10), target=b1, **t9)
    event(a2, Verb.VIEWED, ago(20, 11), object_id=10, target=boss)
    from metrics.services import metrics_refresh

    metrics_refresh(since=day - timedelta(days=40), until=day)
    return SimpleNamespace(day=day, alpha=alpha, beta=beta, boss=boss, a2=a2, b1=b1, b2=b2)


@pytest.fixture
def admin(db):
    return AdminFactory(username="root")


def save(actor, note: str = "", lines=None, **changes):
    return worksheet_version_save(
        actor=actor,
        assumptions={**ASSUMPTIONS, **changes},
        lines=lines
        if lines is not None
        else [
            LineInput(LineKind.COST, "Hébergement", Decimal("120"), Period.MONTH),
            LineInput(
                LineKind.BENEFIT, "Lettre imprimée supprimée", Decimal("500"), Period.ONE_OFF
            ),
            LineInput(LineKind.INTANGIBLE, "Les silos se parlent"),
        ],
        note=note,
    )
