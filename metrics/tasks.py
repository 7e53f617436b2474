"""Background jobs of the metrics app. Each is safe to run twice (rollups replace)."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task

from metrics.emails import department_kpi_emails_send
from metrics.locking import ComputationBusy
from metrics.services import metrics_refresh

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def rollup_pending() -> int:
    """Nightly: roll up the days not rolled yet and the dirty ones, refresh snapshots. When
    another computation is running it exits (the marks it leaves are the next run's work)."""
    try:
        return len(metrics_refresh(wait=False))
    except ComputationBusy:
        logger.info("metrics: another computation is running; the nightly run skips")
        return 0


@shared_task(acks_late=True)
def rollup_range(since: str, until: str) -> int:
    """On demand (an administrator's button, `compute_metrics`): roll the days again."""
    return len(metrics_refresh(since=date.fromisoformat(since), until=date.fromisoformat(until)))


@shared_task(acks_late=True)
def send_department_kpi_emails() -> int:
    """Weekly: each department head gets their department's KPI and one suggested action."""
    return department_kpi_emails_send()


@shared_task(acks_late=True)
def rollup_pending_until(until: str) -> int:
    """An administrator's "recompute now": pending and dirty days, today included. Waits
    for a computation already running (then finds only what is left)."""
    return len(metrics_refresh(until=date.fromisoformat(until)))
