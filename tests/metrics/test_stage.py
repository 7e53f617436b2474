"""The stage logic: the highest stage whose criteria all hold, what is missing, projection."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from core import measures
from core.measures import StageMeasure
from metrics.models import MaturityCriteria, ScopeDay, Stage
from metrics.stage import criteria_for, evaluate, latest_stage, project_empowered


@pytest.fixture(autouse=True)
def _in_english():
    """The sentences below are asserted in English. Django keeps the language a previous
    test's request activated (the default is French): say which one these tests read."""
    with translation.override("en"):
        yield


def row(**values) -> ScopeDay:
    base = {
        "day": date(2026, 6, 1),
        "department_id": None,
        "population": 100,
        "engaged": 25,
        "contributors": 10,
        "departments": 8,
        "departments_with_contributor": 0,
        "departments_active": 3,
        "charter_published": True,
        "charter_accepted": 60,
        "cross_department_communities": 1,
        "active_spaces": 3,
        "executives": 4,
        "executives_posted": 1,
        "executives_posted_and_replied": 0,
        "interactions": 10,
        "cross_department_interactions": 1,
        "threads": 10,
        "threads_answered_24h": 5,
    }
    base.update(values)
    return ScopeDay(**base)


def test_missing_criteria_come_with_their_numbers():
    stage, missing = evaluate(row(), MaturityCriteria())
    assert stage == Stage.TESTING
    assert [c.missing for c in missing] == ["3 more departments need an active contributor"]


def test_dormant_when_testing_does_not_hold():
    stage, missing = evaluate(row(engaged=4, active_spaces=0), MaturityCriteria())
    assert stage == Stage.DORMANT
    assert {c.missing for c in missing} == {
        "1 more person needs to be engaged",
        "1 more blog or community needs activity",
    }


def test_coordinating_needs_a_published_charter():
    stage, missing = evaluate(
        row(departments_with_contributor=3, charter_published=False, charter_accepted=0),
        MaturityCriteria(),
    )
    assert stage == Stage.TESTING
    assert [c.missing for c in missing] == ["the usage charter must be published"]


def test_scaling_lists_executives_departments_and_cross_department_needs():
    stage, missing = evaluate(row(departments_with_contributor=3, engaged=45), MaturityCriteria())
    assert stage == Stage.COORDINATING
    assert [c.missing for c in missing] == [
        "3 more departments need an active contributor",  # 75 % of 8 = 6
        "1 more executive needs to post",  # 50 % of 4 = 2
        # (1 + x) / (10 + x) >= 20 %: x = 2 more cross-department answers.
        "2 more comments or replies across departments are needed",
    ]


def test_thresholds_are_the_administrators():
    criteria = MaturityCriteria(testing_adoption=30)
    stage, missing = evaluate(row(), criteria)
    assert stage == Stage.DORMANT
    assert missing[0].missing == "5 more people need to be engaged"


def test_a_department_is_not_held_back_by_counts_of_departments_or_absent_executives():
    department = row(
        department_id=7,
        population=20,
        engaged=17,
        contributors=7,
        departments=1,
        departments_with_contributor=1,
        departments_active=1,
        charter_accepted=12,
        executives=0,
        executives_posted=0,
        interactions=10,
        cross_department_interactions=5,
        threads=4,
        threads_answered_24h=3,
    )
    stage, missing = evaluate(department, MaturityCriteria())
    assert stage == Stage.EMPOWERED
    assert missing == []


def test_every_criterion_of_design_md_is_evaluated():
    keys = {(c.stage, c.key) for c in criteria_for(row(), MaturityCriteria())}
    assert len([k for k in keys if k[0] == Stage.TESTING]) == 2
    assert len([k for k in keys if k[0] == Stage.COORDINATING]) == 4
    assert len([k for k in keys if k[0] == Stage.SCALING]) == 4
    assert len([k for k in keys if k[0] == Stage.EMPOWERED]) == 5


def empowered_but_adoption(day: date, engaged: int) -> ScopeDay:
    return row(
        day=day,
        engaged=engaged,
        contributors=40,
        departments_with_contributor=8,
        departments_active=8,
        executives_posted=4,
        executives_posted_and_replied=4,
        threads_answered_24h=8,
        cross_department_interactions=5,
    )


def test_projection_follows_the_pace_of_the_last_90_days():
    start = date(2026, 1, 1)
    # Adoption rises by 1 point every 2 days: 50 % on the last day, 80 % 60 days later.
    rows = [empowered_but_adoption(start + timedelta(days=n), 10 + n // 2) for n in range(81)]
    last = rows[-1].day
    assert rows[-1].engaged == 50
    projected = project_empowered(rows, MaturityCriteria())
    assert abs((projected - (last + timedelta(days=60))).days) <= 2


def test_no_projection_when_the_pace_is_flat():
    start = date(2026, 1, 1)
    rows = [empowered_but_adoption(start + timedelta(days=n), 50) for n in range(60)]
    assert project_empowered(rows, MaturityCriteria()) is None


def test_criteria_form_refuses_invalid_thresholds_and_keeps_the_previous_ones(client, rolled):
    from django.urls import reverse

    from metrics.stage import criteria_current
    from tests.factories import AdminFactory

    client.force_login(AdminFactory(username="root"))
    url = reverse("metrics:criteria")
    form = client.get(url).context["form"]
    data = {name: form.initial[name] for name in form.fields}
    response = client.post(url, {**data, "empowered_adoption": "150"})
    assert response.status_code == 200
    assert "Enter a percentage between 0 and 100." in response.content.decode()
    assert 'value="150"' in response.content.decode()  # what was typed is kept
    assert criteria_current().empowered_adoption == 80
    response = client.post(url, {**data, "testing_adoption": "50"})
    assert "must not go down from one stage to the next" in response.content.decode()
    assert criteria_current().testing_adoption == 5
    assert ScopeDay.objects.get(day=rolled.day, department_id__isnull=True).stage == Stage.TESTING
    response = client.post(url, {**data, "coordinating_departments": "2"})
    assert response.status_code == 302
    assert criteria_current().coordinating_departments == 2
    # Two departments with contributors are now enough: every criterion holds, and the
    # stored history is re-evaluated with the new thresholds.
    row = ScopeDay.objects.get(day=rolled.day, department_id__isnull=True)
    assert row.stage == Stage.EMPOWERED


def test_only_administrators_change_criteria(client, rolled):
    from django.urls import reverse

    from metrics.services import criteria_update
    from metrics.stage import criteria_current

    client.force_login(rolled.a2)
    response = client.post(reverse("metrics:criteria"), {"empowered_adoption": "10"})
    assert response.status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        criteria_update(actor=rolled.a2, data={"empowered_adoption": 10})
    assert criteria_current().empowered_adoption == 80


def test_a_stage_counts_only_when_the_stages_below_it_hold():
    # Scaling's own criteria hold, but the charter (Coordinating) is not published.
    stage, missing = evaluate(
        row(
            engaged=45,
            departments_with_contributor=8,
            executives_posted=4,
            cross_department_interactions=5,
            charter_published=False,
            charter_accepted=0,
        ),
        MaturityCriteria(),
    )
    assert stage == Stage.TESTING
    assert [c.missing for c in missing] == ["the usage charter must be published"]


def test_latest_stage_is_the_organisations_last_snapshot(rolled):
    """The provider of the governance console's "measured stage", registered by metrics."""
    organisation = ScopeDay.objects.get(day=rolled.day, department_id__isnull=True)
    expected = StageMeasure(Stage(organisation.stage).label, rolled.day, organisation.stage)
    assert latest_stage() == expected
    assert measures.current_stage() == expected


def test_no_latest_stage_before_the_first_snapshot(db):
    assert latest_stage() is None


def test_no_criterion_reads_met_beside_a_number_below_its_threshold():
    """A department's required number of departments is that department alone, shown as 1
    (not "Now 1, Required 3, Met: yes"); executive criteria of a department without an
    executive are "not applicable", never met, and leave the stage to the others."""
    department = row(
        department_id=7,
        departments=1,
        departments_with_contributor=1,
        executives=0,
        executives_posted=0,
    )
    criteria = {k.key: k for k in criteria_for(department, MaturityCriteria())}
    count = criteria["coordinating_departments"]
    assert (count.actual, count.required, count.holds) == (1, 1, True)
    for key in ("scaling_executives_posted", "empowered_executives"):
        assert criteria[key].applicable is False
        assert criteria[key].actual is None
    for k in criteria.values():
        if k.applicable and k.holds and k.actual is not None:
            assert k.actual >= k.required, k.key


def test_the_criteria_table_says_not_applicable(rolled):
    from metrics.reports import _criteria_table

    department = ScopeDay.objects.get(day=rolled.day, department_id=rolled.b.pk)
    assert department.executives == 0
    table = _criteria_table(department, "criteria")
    met = {line[1]: line[4] for line in table.rows}
    assert met["≥ 50 % of executives posted in the last 30 days"] == "not applicable"
    assert set(met.values()) <= {"yes", "no", "not applicable"}
