"""A small hand-computed organisation: two departments, five people, one executive.

Every figure the tests expect is worked out by hand in `test_definitions.py` from the events
below (D is the measured day, W the 30 days ending on D).
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from activity.models import Verb
from tests.factories import DepartmentFactory, ExecutiveFactory, UserFactory
from tests.metrics.factories import at, event, joined_long_ago


@pytest.fixture
def org(db):
    day = timezone.localdate() - timedelta(days=5)
    dept_a = DepartmentFactory(name="Alpha", slug="alpha")
    dept_b = DepartmentFactory(name="Beta", slug="beta")
    a1 = ExecutiveFactory(username="a1", department=dept_a)
    a2 = UserFactory(username="a2", department=dept_a)
    a3 = UserFactory(username="a3", department=dept_a)
    b1 = UserFactory(username="b1", department=dept_b)
    b2 = UserFactory(username="b2", department=dept_b)
    dept_a.head = a2
    dept_a.save()
    joined_long_ago(a1, a2, a3, b1, b2)
    for person in (a1, a2, a3, b1, b2):
        person.refresh_from_db()

    def ago(days, hour=12, minute=0):
        return at(day - timedelta(days=days), hour, minute)

    # Outside the window: does not count.
    event(a3, Verb.POSTED, ago(40), object_id=99)
    # Charter accepted by a1, b1, b2.
    for person in (a1, b1, b2):
        event(person, Verb.ACCEPTED_CHARTER, ago(20), object_type="governance.charter")
    # a2 (Alpha) and b2 (Beta) join community 7: a cross-department community.
    for person in (a2, b2):
        event(
            person,
            Verb.JOINED,
            ago(10),
            object_type="communities.community",
            object_id=7,
            community_id=7,
        )
    # b2 starts a thread; b1 answers it six hours later (same department).
    thread = {"object_type": "communities.thread", "object_id": 5, "community_id": 7}
    event(b2, Verb.STARTED_THREAD, ago(5, 9), **thread)
    event(b1, Verb.REPLIED, ago(5, 15), target=b2, **thread)
    # The executive a1 posts; a2 and b1 read it; a2 reacts; b1 comments; a1 answers 22 h later.
    event(a1, Verb.POSTED, ago(3, 8), object_id=10)
    event(a2, Verb.VIEWED, ago(3, 9), object_id=10, target=a1)
    event(a2, Verb.REACTED, ago(3, 9, 5), object_id=10, target=a1)
    event(b1, Verb.VIEWED, ago(2, 11), object_id=10, target=a1)
    event(b1, Verb.COMMENTED, ago(2, 12), object_id=10, target=a1)
    event(a1, Verb.REPLIED, ago(1, 10), object_id=10, target=b1)
    # a3 only reads a colleague's post.
    event(a3, Verb.VIEWED, ago(1, 14), object_id=11, target=a2)
    # On D itself, b2 reacts: the only person engaged that day.
    event(b2, Verb.REACTED, ago(0, 16), object_id=10, target=a1)
    return SimpleNamespace(
        day=day, a=dept_a, b=dept_b, a1=a1, a2=a2, a3=a3, b1=b1, b2=b2, people=[a1, a2, a3, b1, b2]
    )


@pytest.fixture
def rolled(org):
    from metrics.services import metrics_refresh

    metrics_refresh(since=org.day - timedelta(days=45), until=org.day)
    return org
