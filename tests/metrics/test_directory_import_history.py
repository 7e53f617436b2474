"""A move made by the directory import (console.services.directory_import_apply) never
rewrites a past day: the days already computed stay as they were, the day of the move and
after follow the new structure (README, "Connect your directory")."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from activity.models import ParticipationEvent
from console.services import directory_import_apply
from metrics.models import ScopeDay
from metrics.services import metrics_refresh
from tests.factories import AdminFactory
from tests.metrics.test_rollups import dump


def test_an_import_moving_someone_keeps_the_past_and_the_future_follows(rolled):
    before = dump()
    events_before = list(
        ParticipationEvent.objects.filter(actor=rolled.b1).values_list("pk", "department_id")
    )
    admin = AdminFactory(username="admin-import", department=None)
    content = f"email;department\n{rolled.b1.email};Alpha\n".encode()
    plan = directory_import_apply(actor=admin, content=content, deactivate_missing=False)
    assert plan.counts["update"] == 1
    # The events keep the department b1 was in; a re-computation of the past changes nothing.
    assert events_before == list(
        ParticipationEvent.objects.filter(actor=rolled.b1).values_list("pk", "department_id")
    )
    assert {d for _, d in events_before} == {rolled.b.pk}
    metrics_refresh(since=rolled.day - timedelta(days=45), until=rolled.day)
    assert dump() == before
    # From the move on, Alpha's head sees b1 in Alpha.
    today = timezone.localdate()
    metrics_refresh(since=today, until=today)
    alpha = ScopeDay.objects.get(day=today, department_id=rolled.a.pk)
    beta = ScopeDay.objects.get(day=today, department_id=rolled.b.pk)
    assert (alpha.population, beta.population) == (4, 1)
