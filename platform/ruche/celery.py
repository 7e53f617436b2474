"""The Celery app. Tasks live in each app's tasks.py; the beat schedule is declared here."""

import os

from celery import Celery
from celery.schedules import crontab  # noqa: F401  (used by the schedule entries)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")

app = Celery("ruche")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One entry per periodic job; each task is idempotent, so a missed or repeated beat is harmless.
app.conf.beat_schedule: dict[str, dict] = {}

# Notification digests (CELERY_TIMEZONE is Europe/Paris): daily at 7:00, weekly on Monday 7:00.
app.conf.beat_schedule["notifications-daily-digest"] = {
    "task": "notifications.tasks.send_digests",
    "schedule": crontab(hour=7, minute=0),
    "args": ("daily",),
}
app.conf.beat_schedule["notifications-weekly-digest"] = {
    "task": "notifications.tasks.send_digests",
    "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    "args": ("weekly",),
}
