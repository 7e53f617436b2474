"""Per-person view events older than RUCHE_VIEW_RETENTION_DAYS are purged every night; the
rollups computed from them stay; nothing else may delete events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from activity.models import AppendOnlyError, ParticipationEvent, Verb
from metrics.models import ActivityDay, LeaderViewDay, ScopeDay
from metrics.services import metrics_refresh
from privacy.tasks import purge_old_views
from ruche.celery import app
from tests.metrics.factories import at, event


def _rollups():
    return {
        model.__name__: sorted(
            tuple(sorted((k, repr(v)) for k, v in row.items() if k != "id"))
            for row in model.objects.values()
        )
        for model in (ActivityDay, LeaderViewDay, ScopeDay)
    }


@pytest.mark.django_db
def test_old_views_are_purged_and_the_rollups_stay(settings, employee, executive):
    settings.RUCHE_VIEW_RETENTION_DAYS = 30
    today = timezone.localdate()
    old, recent = today - timedelta(days=40), today - timedelta(days=10)
    old_view = event(employee, Verb.VIEWED, at(old), object_id=10, target=executive)
    old_post = event(executive, Verb.POSTED, at(old), object_id=10)
    recent_view = event(employee, Verb.VIEWED, at(recent), object_id=10, target=executive)
    metrics_refresh(since=old - timedelta(days=1), until=today - timedelta(days=1))
    rolled = _rollups()
    assert ActivityDay.objects.filter(day=old, views=1).exists()

    assert purge_old_views.apply().get() == 1

    remaining = set(ParticipationEvent.objects.values_list("pk", flat=True))
    assert old_view.pk not in remaining
    assert {old_post.pk, recent_view.pk} <= remaining  # other verbs and recent views stay
    assert _rollups() == rolled  # the figures of the purged days are kept
    assert ActivityDay.objects.filter(day=old, views=1).exists()


@pytest.mark.django_db
def test_the_default_retention_is_about_thirteen_months(employee):
    from django.conf import settings

    assert settings.RUCHE_VIEW_RETENTION_DAYS == 395
    kept = event(employee, Verb.VIEWED, at(timezone.localdate() - timedelta(days=394)))
    purge_old_views.apply().get()
    assert ParticipationEvent.objects.filter(pk=kept.pk).exists()


def test_the_purge_runs_every_night():
    entry = app.conf.beat_schedule["privacy-purge-old-views"]
    assert entry["task"] == "privacy.tasks.purge_old_views"
    assert purge_old_views.name == entry["task"]


@pytest.mark.django_db
def test_outside_retention_nothing_deletes_an_event(employee):
    view = event(employee, Verb.VIEWED, at(timezone.localdate() - timedelta(days=500)))
    with pytest.raises(AppendOnlyError):
        ParticipationEvent.objects.filter(pk=view.pk).delete()
    table = connection.ops.quote_name(ParticipationEvent._meta.db_table)
    with pytest.raises(Exception), transaction.atomic(), connection.cursor() as cursor:  # noqa: B017
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [view.pk])
    assert ParticipationEvent.objects.filter(pk=view.pk).exists()
