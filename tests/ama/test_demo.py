"""The demo's sessions are made through the services: an archived one answered, an open one
with questions waiting; a second run adds nothing."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from activity.services import event_record
from ama import demo
from ama.models import Answer, Question, Session, Status, Vote
from tests.factories import ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_sessions(client):
    ExecutiveFactory(username="camille.martin")
    ExecutiveFactory(username="julien.moreau")
    hired = timezone.now() - timedelta(days=60)
    people = [UserFactory(date_joined=hired) for _ in range(30)]
    # Active in the weeks before the sessions: the demo draws its askers and voters from them.
    for person in people:
        event_record(
            actor=person,
            verb=Verb.REACTED,
            obj=person,
            occurred_at=timezone.now() - timedelta(days=9),
        )
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert Session.objects.count() == len(demo.SESSIONS)
    statuses = {session.title: session.status for session in Session.objects.all()}
    assert sorted(statuses.values()) == sorted([Status.ARCHIVED, Status.OPEN])
    assert Answer.objects.count() == 4 and Question.objects.filter(anonymous=True).count() == 2
    assert Vote.objects.count() == ParticipationEvent.objects.filter(verb=Verb.UPVOTED).count()
    assert ParticipationEvent.objects.filter(verb=Verb.ANSWERED_QUESTION).count() == 4
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert Session.objects.count() == len(demo.SESSIONS)
    client.force_login(people[0])
    page = client.get("/ama/").content.decode()
    for spec in demo.SESSIONS:
        assert spec.title.replace("'", "&#x27;") in page
