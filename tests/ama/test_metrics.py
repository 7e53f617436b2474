"""How the sessions count (metrics.definitions, "Ask me anything"): asking is a comment, an
upvote a reaction, the host's answer a reply to the person who asked; opening counts nothing.
An anonymous question counts for its real author."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from ama import services
from metrics import rollups
from metrics.models import ActivityDay
from tests.ama.conftest import open_session

pytestmark = pytest.mark.django_db


def test_asking_upvoting_answering_in_the_daily_rollup(executive, employee, colleague):
    day = timezone.localdate() - timedelta(days=1)
    noon = timezone.make_aware(datetime.combine(day, time(12)))
    session = open_session(
        executive,
        starts_at=noon - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=1),
        at=noon - timedelta(hours=2),
    )
    question = services.question_ask(
        author=employee, session=session, text="Anonyme ?", anonymous=True, at=noon
    )
    services.question_upvote(voter=colleague, question=question, at=noon + timedelta(minutes=5))
    services.question_answer(
        host=executive, question=question, text="Oui.", at=noon + timedelta(minutes=10)
    )
    rollups.rollup_day(day)
    rows = {row.user_id: row for row in ActivityDay.objects.filter(day=day)}
    assert rows[employee.pk].comments == 1 and rows[employee.pk].reactions == 0
    assert rows[colleague.pk].reactions == 1 and rows[colleague.pk].comments == 0
    host = rows[executive.pk]
    assert host.replies == 1 and host.answers_to_others == 1
    assert host.posts == 0 and host.comments == 0  # opening the session counts nothing
