"""The Celery app. Tasks live in each app's tasks.py; the beat schedule is declared here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")

app = Celery("ruche")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One entry per periodic job; each task is idempotent, so a missed or repeated beat is harmless.
app.conf.beat_schedule = {}

# Metrics: yesterday's rollups (and any day touched by late events) shortly after midnight;
# the department heads' KPI e-mail on Monday morning, once the night's figures are in.
app.conf.beat_schedule["metrics-nightly-rollup"] = {
    "task": "metrics.tasks.rollup_pending",
    "schedule": crontab(hour=0, minute=20),
}
app.conf.beat_schedule["metrics-weekly-kpi-email"] = {
    "task": "metrics.tasks.send_department_kpi_emails",
    "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
}

# Blogs: scheduled posts go live within a minute of their date (Wagtail's publish_scheduled).
app.conf.beat_schedule["blogs-publish-scheduled"] = {
    "task": "blogs.tasks.publish_scheduled_posts",
    "schedule": 60.0,
}

# Announcements: scheduled ones are published within a minute of their date.
app.conf.beat_schedule["announcements-publish-due"] = {
    "task": "announcements.tasks.publish_due",
    "schedule": 60.0,
}

# Directory: the LDAP import at night, when RUCHE_LDAP_NIGHTLY_IMPORT is on (console.tasks; the
# task does nothing otherwise), before the metrics' rollup of the next night counts the moves.
app.conf.beat_schedule["console-import-ldap"] = {
    "task": "console.tasks.import_ldap_nightly",
    "schedule": crontab(hour=2, minute=30),
}

# Personal data: per-person view events older than RUCHE_VIEW_RETENTION_DAYS are purged after
# the nightly rollup has counted them (privacy.tasks; the rollups stay).
app.conf.beat_schedule["privacy-purge-old-views"] = {
    "task": "privacy.tasks.purge_old_views",
    "schedule": crontab(hour=1, minute=10),
}

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

# The weekly content digest leaves on Monday at 7:00 in each person's time zone: the task runs
# hourly and picks the zones where it is now Monday 7:00–8:00 (notifications.tasks).
app.conf.beat_schedule["notifications-content-digest"] = {
    "task": "notifications.tasks.send_content_digests",
    "schedule": crontab(minute=0),
}

# Notifications: immediate e-mails that could not be queued when their action committed (a
# broker outage) are queued again; the send task is idempotent.
app.conf.beat_schedule["notifications-missed-emails"] = {
    "task": "notifications.tasks.email_missed_notifications",
    "schedule": 300.0,
}
