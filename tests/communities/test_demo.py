"""The demo seed: about 25 communities, a private council, a year of history; idempotent."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from activity.models import ParticipationEvent
from communities import demo
from communities.models import AccessMode, Community, Thread
from interactions.models import Comment

pytestmark = pytest.mark.django_db


def test_seed_builds_a_year_of_communities_and_is_idempotent():
    from people import demo as people_demo

    people_demo.seed(rng=random.Random("people"), stdout=io.StringIO())
    demo.seed(rng=random.Random("communities"), stdout=io.StringIO())

    assert 20 <= Community.objects.count() <= 30
    council = Community.objects.get(slug="conseil-des-community-managers")
    assert council.access == AccessMode.PRIVATE
    assert council.departments.count() >= 5
    assert council.memberships.filter(user__username="sophie.laurent", role="manager").exists()
    assert Community.objects.filter(access=AccessMode.PRIVATE).count() >= 3
    cross = [
        c for c in Community.objects.prefetch_related("departments") if c.departments.count() > 1
    ]
    assert len(cross) >= 8

    oldest = Thread.objects.order_by("created_at").first().created_at
    assert timezone.now() - oldest > timedelta(days=300)
    assert Comment.objects.exists()
    assert Thread.objects.filter(kind="question", accepted_reply_id__isnull=False).exists()
    # Events carry the dates of what they record.
    event = ParticipationEvent.objects.filter(verb="started_thread").order_by("occurred_at")[0]
    assert event.occurred_at == oldest
    assert ParticipationEvent.objects.filter(verb="replied").count() == Comment.objects.count()

    counts = (Community.objects.count(), Thread.objects.count(), Comment.objects.count())
    demo.seed(rng=random.Random("communities"), stdout=io.StringIO())
    assert (Community.objects.count(), Thread.objects.count(), Comment.objects.count()) == counts
