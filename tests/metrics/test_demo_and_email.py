"""The demo year tells the story (Dormant, Testing, Coordinating, Scaling), and the weekly
e-mail reaches each department head once a week with one action."""

from __future__ import annotations

import random
from datetime import timedelta
from io import StringIO

from django.utils import timezone

from activity.models import ParticipationEvent
from metrics.models import ScopeDay, Stage
from tests.factories import DepartmentFactory, ExecutiveFactory, UserFactory
from tests.metrics.factories import joined_long_ago


def small_organisation() -> None:
    # As in the demo organisation: two early departments, two late ones, three in between.
    slugs = [
        "technologies",
        "marketing-communication",
        "finance",
        "operations",
        "ventes",
        "service-client",
        "ressources-humaines",
    ]
    departments = [DepartmentFactory(slug=slug, name=slug.title()) for slug in slugs]
    people = []
    for n in range(70):
        factory = ExecutiveFactory if n < 3 else UserFactory
        people.append(factory(username=f"demo{n}", department=departments[n % len(slugs)]))
    joined_long_ago(*people)


def test_the_demo_year_goes_from_dormant_to_scaling(db):
    from metrics import demo

    small_organisation()
    out = StringIO()
    demo.seed(rng=random.Random("ruche-demo:metrics.demo"), stdout=out)
    rows = list(ScopeDay.objects.filter(department_id__isnull=True).order_by("day"))
    assert len(rows) == demo.DAYS
    stages = [r.stage for r in rows]
    assert stages[0] == Stage.DORMANT
    assert Stage.EMPOWERED not in stages
    first_seen = [stages.index(s) for s in (Stage.TESTING, Stage.COORDINATING, Stage.SCALING)]
    assert first_seen == sorted(first_seen)
    # Scaling arrives in the last months, and holds at the end.
    assert first_seen[2] >= demo.DAYS - 150
    assert stages[-1] == Stage.SCALING
    assert "stage path" in out.getvalue()

    # Idempotent: a second run adds no event and keeps the same path.
    count = ParticipationEvent.objects.count()
    demo.seed(rng=random.Random("ruche-demo:metrics.demo"), stdout=StringIO())
    assert ParticipationEvent.objects.count() == count
    assert [
        r.stage for r in ScopeDay.objects.filter(department_id__isnull=True).order_by("day")
    ] == stages


def test_the_demo_needs_no_one(db):
    from metrics import demo

    out = StringIO()
    demo.seed(rng=random.Random(1), stdout=out)
    assert "nothing to seed" in out.getvalue()


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
