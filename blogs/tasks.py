"""Background work for blogs: scheduled publishing (the editorial calendar's dates)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision


@shared_task
def publish_scheduled_posts() -> int:
    """Publish the revisions whose go_live_at has passed, and unpublish expired pages.

    Wagtail's `publish_scheduled` does the work (and sends page_published, which records the
    "posted" event); running it twice publishes nothing twice. Returns how many were due.
    """
    due: int = Revision.page_revisions.filter(approved_go_live_at__lt=timezone.now()).count()
    call_command("publish_scheduled", verbosity=0)
    return due
