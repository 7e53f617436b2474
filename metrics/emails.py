"""The weekly e-mail to department heads: their department's KPI, their objective planned
against actual with its pace, and one suggested action (Forrester, seed 001: one metric per
department head, given to them as a catalyst)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from metrics.models import KpiEmail
from metrics.objectives import department_objective_progress
from metrics.permissions import is_small
from metrics.reports import department_kpi, latest_day
from people.models import Department

logger = logging.getLogger(__name__)

# One action per criterion: the first criterion still missing for the department's next
# stage decides what the head is asked to do this week.
ACTIONS = {
    "testing_adoption": _(
        "Share one useful post with your team and ask each person to react or comment."
    ),
    "coordinating_adoption": _(
        "Ask each team lead to bring one question of the week to a community and invite answers."
    ),
    "scaling_adoption": _(
        "Invite the people who only read to react to or comment on one post this week."
    ),
    "empowered_adoption": _(
        "Find the colleagues who have not taken part yet and show them one community that "
        "matters to their work."
    ),
    "testing_active_spaces": _(
        "Start a blog post or a community about a question your team is often asked."
    ),
    "coordinating_charter": _("Remind your team to read and accept the usage charter."),
    "coordinating_departments": _(
        "Ask one person in your department to write a first post about what they learned."
    ),
    "scaling_departments": _(
        "Ask one person in your department to write a first post about what they learned."
    ),
    "coordinating_cross_communities": _(
        "Open a community with a neighbouring department around a problem you share."
    ),
    "scaling_executives_posted": _(
        "Write a short post in your own voice about a decision of the week."
    ),
    "empowered_executives": _("Write a short post in your own voice and answer its comments."),
    "scaling_cross_department": _(
        "Answer a question from another department in a community this week."
    ),
    "empowered_contributors": _(
        "Invite the people who react to write a comment or a short post of their own."
    ),
    "empowered_departments_active": _(
        "Pair with a department that is still quiet and invite them to a community."
    ),
    "empowered_answered": _(
        "Make sure every new thread in your communities gets an answer within a day."
    ),
}
KEEP_GOING = _("Keep going: thank the people who answered colleagues this week.")


def suggested_action(missing) -> str:
    for criterion in missing:
        if criterion.key in ACTIONS:
            return str(ACTIONS[criterion.key])
    return str(KEEP_GOING)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def department_kpi_emails_send(*, today: date | None = None) -> int:
    """Send this week's e-mail to each department head who has not had it; returns how many
    were sent. Safe to run twice: a row per head and week is written before sending."""
    day = latest_day()
    if day is None:
        return 0
    week = week_of(today or timezone.localdate())
    sent = 0
    departments = Department.objects.select_related("head").filter(
        head__isnull=False, head__is_active=True
    )
    for department in departments:
        head = department.head
        if not head.email:
            continue
        try:
            with transaction.atomic():
                KpiEmail.objects.create(
                    department_id=department.pk, head_id=head.pk, week=week, sent_at=timezone.now()
                )
                _send(department, head, department_kpi(department, day), day)
        except IntegrityError:
            continue  # already sent this week
        sent += 1
    return sent


def _send(department, head, kpi, day: date) -> None:
    with translation.override(head.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "department": department,
            "head": head,
            "kpi": kpi,
            "small": is_small(kpi.population),
            "day": day,
            "action": suggested_action(kpi.missing),
            "missing": [c.missing for c in kpi.missing],
            "objective": department_objective_progress(department, day),
            "objective_url": settings.SITE_URL + reverse("metrics:objective", args=[department.pk]),
            "url": settings.SITE_URL
            + reverse("metrics:report", args=[f"department-{department.pk}"]),
        }
        subject = render_to_string("metrics/email/department_kpi_subject.txt", context).strip()
        body = render_to_string("metrics/email/department_kpi.txt", context)
    # Sent inside the row's transaction: if sending fails, the row goes too and the retry
    # sends it again.
    send_mail(subject, body, None, [head.email])
