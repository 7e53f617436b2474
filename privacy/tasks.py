"""Retention of reading history: the nightly purge of old per-person view events."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from activity.retention import views_purge


@shared_task(acks_late=True)
def purge_old_views() -> int:
    """Nightly: delete the view events older than RUCHE_VIEW_RETENTION_DAYS. The daily rollups
    already hold what the metrics need from them; returns how many events were deleted."""
    days: int = settings.RUCHE_VIEW_RETENTION_DAYS
    return views_purge(before=timezone.localdate() - timedelta(days=days))
