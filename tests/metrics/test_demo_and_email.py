"""The demo's metrics step, and the weekly e-mail that reaches each department head once a week
with one action. The demo year itself is checked in tests/ruche/test_demo_consistency.py."""

from __future__ import annotations

import random
from datetime import timedelta
from io import StringIO

from django.utils import timezone

from metrics.models import ScopeDay


def test_the_demo_metrics_need_participation(db):
    from metrics import demo

    out = StringIO()
    demo.seed(rng=random.Random(1), stdout=out)
    assert "nothing to roll up" in out.getvalue()
    assert not ScopeDay.objects.exists()


def test_weekly_email_to_department_heads_once_a_week(rolled, mailoutbox):
    from metrics.emails import department_kpi_emails_send

    rolled.a2.email = "head@ruche.test"
    rolled.a2.preferred_language = "en"
    rolled.a2.save()
    assert department_kpi_emails_send() == 1
    assert department_kpi_emails_send() == 0  # the same week: not twice
    message = mailoutbox[0]
    assert message.to == ["head@ruche.test"]
    assert "Alpha" in message.subject
    # Alpha has 3 people: only the organisation's figure is given.
    assert "fewer than 5 people" in message.body
    assert "One suggested action this week:" in message.body
    assert "/metrics/department-" in message.body
    next_week = timezone.localdate() + timedelta(days=7)
    assert department_kpi_emails_send(today=next_week) == 1


def test_weekly_email_is_in_the_heads_language(rolled, mailoutbox):
    from metrics.emails import department_kpi_emails_send

    rolled.a2.email = "head@ruche.test"
    rolled.a2.preferred_language = "fr"
    rolled.a2.save()
    department_kpi_emails_send()
    assert "Une action suggérée cette semaine" in mailoutbox[0].body
