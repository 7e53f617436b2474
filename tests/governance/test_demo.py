"""The demo's governance steps: the charter published on its day, questionnaires with
history, reports once content exists; idempotent. Who accepts the charter, and when, is part
of the demo's history (tests/ruche/test_demo_consistency.py)."""

from __future__ import annotations

import io
import random

import pytest

from console import demo as console_demo
from console import selectors as console_selectors
from console.models import QuestionnaireResponse, Report
from governance import demo, selectors
from ruche import demo_moderation
from tests.factories import AdminFactory, ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(db):
    AdminFactory(username="admin")
    UserFactory(username="thomas.bernard")
    UserFactory.create_batch(30)
    return ExecutiveFactory.create_batch(3)


def _seed(module):
    out = io.StringIO()
    module.seed(rng=random.Random("test"), stdout=out)
    return out.getvalue()


def test_the_demo_charter_is_published_on_its_day(organisation):
    from datetime import timedelta

    from django.utils import timezone

    admin = type(organisation[0]).objects.get(username="admin")
    day = timezone.now() - timedelta(days=200)
    charter = demo.charter_publish_demo(admin, published_at=day)
    assert selectors.current_charter() == charter
    assert charter.published_at == day and charter.title_fr and charter.body_en
    assert demo.charter_publish_demo(admin, published_at=timezone.now()) == charter


def test_questionnaires_with_history(organisation):
    _seed(console_demo)
    assert QuestionnaireResponse.objects.count() == 5  # two leaders twice, one once
    assert len(console_selectors.questionnaire_latest_per_respondent()) == 3
    _seed(console_demo)
    assert QuestionnaireResponse.objects.count() == 5


def test_moderation_step_reports_once(organisation):
    from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory

    community = CommunityFactory(slug="demo")
    authors = UserFactory.create_batch(3)
    for author in authors:
        ThreadFactory(community=community, author=author)
        MembershipFactory(community=community, user=author)
    _seed(demo_moderation)
    assert Report.objects.count() >= 3
    assert Report.objects.filter(status="hidden").count() == 1
    assert Report.objects.filter(status="open").exists()
    count = Report.objects.count()
    _seed(demo_moderation)
    assert Report.objects.count() == count
