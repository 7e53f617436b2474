"""The demo seed: a published charter accepted by part of the organisation (back-dated
events), questionnaires with history, reports once content exists; idempotent."""

from __future__ import annotations

import io
import random

import pytest

from activity.models import ParticipationEvent, Verb
from console import demo as console_demo
from console import selectors as console_selectors
from console.models import QuestionnaireResponse, Report
from governance import demo, selectors
from governance.models import CharterAcceptance
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


def test_charter_accepted_by_part_of_the_organisation(organisation):
    _seed(demo)
    charter = selectors.current_charter()
    assert charter is not None and charter.title_fr and charter.body_en
    rate = selectors.charter_acceptance_rate()
    assert 0.3 < rate < 1.0
    assert not CharterAcceptance.objects.filter(user__username="thomas.bernard").exists()
    events = ParticipationEvent.objects.filter(verb=Verb.ACCEPTED_CHARTER)
    assert events.count() == CharterAcceptance.objects.count()
    assert all(e.occurred_at >= charter.published_at for e in events)
    assert (
        events.order_by("occurred_on").first().occurred_on
        < events.order_by("-occurred_on").first().occurred_on
    )  # spread over time, back-dated


def test_questionnaires_with_history(organisation):
    _seed(demo)
    _seed(console_demo)
    assert QuestionnaireResponse.objects.count() == 5  # two leaders twice, one once
    assert len(console_selectors.questionnaire_latest_per_respondent()) == 3


def test_seed_is_idempotent(organisation):
    _seed(demo)
    _seed(console_demo)
    counts = (CharterAcceptance.objects.count(), QuestionnaireResponse.objects.count())
    _seed(demo)
    _seed(console_demo)
    assert (CharterAcceptance.objects.count(), QuestionnaireResponse.objects.count()) == counts


def test_moderation_step_reports_and_contributors_accept(organisation):
    from interactions.services import comment_create
    from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory

    community = CommunityFactory(slug="demo")
    authors = UserFactory.create_batch(3)
    threads = [ThreadFactory(community=community, author=a) for a in authors]
    for author in authors:
        MembershipFactory(community=community, user=author)
    comment_create(author=authors[0], target=threads[1], body="Une réponse")
    _seed(demo)
    _seed(demo_moderation)
    charter = selectors.current_charter()
    for author in authors:
        assert CharterAcceptance.objects.filter(charter=charter, user=author).exists()
    assert Report.objects.count() >= 3
    assert Report.objects.filter(status="hidden").count() == 1
    assert Report.objects.filter(status="open").exists()
    count = Report.objects.count()
    _seed(demo_moderation)
    assert Report.objects.count() == count


def test_the_gate_demo_login_stays_out_even_as_a_contributor(organisation):
    from tests.communities.factories import CommunityFactory, ThreadFactory

    thomas = type(organisation[0]).objects.get(username="thomas.bernard")
    ThreadFactory(community=CommunityFactory(slug="demo-gate"), author=thomas)
    _seed(demo)
    _seed(demo_moderation)
    assert not CharterAcceptance.objects.filter(user=thomas).exists()
