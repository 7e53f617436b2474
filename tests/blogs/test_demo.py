"""The demo seed: realistic posts over a year, conversations, follows; safe to run twice."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from blogs import demo
from blogs.models import Follow, PostPage
from tests.factories import ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seed_is_realistic_spread_and_idempotent():
    ExecutiveFactory(username="camille.martin", first_name="Camille", last_name="Martin")
    ExecutiveFactory(username="julien.moreau", first_name="Julien", last_name="Moreau")
    UserFactory(username="sophie.laurent", first_name="Sophie", last_name="Laurent")
    UserFactory(username="emily.clarke")
    for _ in range(12):
        UserFactory()
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    posts = PostPage.objects.live()
    count = posts.count()
    assert count >= 15
    assert posts.filter(title__startswith="Adopter les médias sociaux").exists()
    assert posts.filter(prepared_by__username="sophie.laurent", author__is_executive=True).exists()
    oldest = posts.order_by("first_published_at").first().first_published_at
    assert oldest < timezone.now() - timedelta(days=300)
    posted = ParticipationEvent.objects.filter(verb=Verb.POSTED)
    assert posted.count() == count
    assert posted.order_by("occurred_at").first().occurred_at < timezone.now() - timedelta(days=300)
    assert ParticipationEvent.objects.filter(verb=Verb.VIEWED).exists()
    assert ParticipationEvent.objects.filter(verb=Verb.COMMENTED).exists()
    assert Follow.objects.exists()
    events = ParticipationEvent.objects.count()
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert PostPage.objects.count() == count
    assert ParticipationEvent.objects.count() == events
