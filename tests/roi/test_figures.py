"""The measured lines equal what a person counts from the hand-made history (conftest)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from roi.figures import Span, measure
from roi.worksheet import build_sheet
from tests.roi.conftest import save

pytestmark = pytest.mark.django_db


def test_measured_figures_of_a_period_equal_a_count_by_hand(history):
    span = Span(history.day - timedelta(days=9), history.day)
    (m,) = measure([span])
    # Threads started in the period: 5, 6, 8 (thread 9 is 20 days before D).
    assert m.questions == 3
    # Answered by someone other than the author: 5 (2 h) and 8 (30 h); 6 only by its author.
    assert m.answered == 2
    assert m.answered_24h == 1
    assert m.median_first_answer_seconds == (2 * 3600 + 30 * 3600) / 2
    # Comments and replies to someone else: a2 → b2 (Alpha → Beta), b2 → b1 (Beta → Beta),
    # b1 → boss (Beta → Alpha): three, two of them across departments.
    assert m.interactions == 3
    assert m.cross_department == 2
    # Authors in the period: b2, a2, b1, boss.
    assert m.contributors == 4
    # Hired in the period's months: the newcomer only (the others 800 days ago), who reacted.
    assert (m.newcomers, m.newcomers_engaged, m.onboarding_share) == (1, 1, 100.0)
    # a2, b1 and b2 read the executive's post in the period (a2's earlier view is outside).
    assert m.leader_reach == 3


def test_the_previous_period_holds_only_the_older_events(history):
    span = Span(history.day - timedelta(days=9), history.day)
    assert span.previous() == Span(
        history.day - timedelta(days=19), history.day - timedelta(days=10)
    )
    older = Span(history.day - timedelta(days=25), history.day - timedelta(days=15))
    (m,) = measure([older])
    assert (m.questions, m.answered, m.leader_reach, m.cross_department) == (1, 1, 1, 1)


def test_tangible_benefits_are_measured_figures_times_assumptions(history, admin):
    version = save(admin)
    span = Span(history.day - timedelta(days=9), history.day)
    with translation.override("en"):
        sheet = build_sheet(version, [span, span.previous()])
    lines = {line.label: line for line in sheet.benefits}
    answered = lines["Time saved by answered questions"]
    # 2 answered × 30 min ÷ 60 × 50 €/h = 50 €.
    assert answered.amounts[0] == Decimal("50.00")
    assert answered.source == "converted"
    assert "30.00 min" in answered.formulas[0] and "50.00 EUR/h" in answered.formulas[0]
    # 2 cross-department exchanges × 12 min ÷ 60 × 50 = 20 €; reach 3 × 6 min ÷ 60 × 50 = 15 €.
    assert lines["Time saved by cross-department exchanges"].amounts[0] == Decimal("20.00")
    assert lines["Leaders' messages reaching people directly"].amounts[0] == Decimal("15.00")
    # A one-off benefit counts in full; a monthly cost is prorated: 120 × 12 × 10 ÷ 365.
    assert lines["Lettre imprimée supprimée"].amounts[0] == Decimal("500.00")
    costs = {line.label: line for line in sheet.costs}
    assert costs["Hébergement"].amounts[0] == Decimal("39.45")
    assert costs["Licences"].amounts[0] == Decimal("100.00")  # 3 650 a year × 10 ÷ 365
    assert costs["Licences"].source == "assumption"
    assert sheet.cost_totals[0] == Decimal("139.45")
    # 1 engaged newcomer × 4 h × 50 €/h = 200 €.
    assert lines["Faster onboarding of engaged newcomers"].amounts[0] == Decimal("200.00")
    assert sheet.benefit_totals[0] == Decimal("785.00")
    assert sheet.nets[0] == sheet.benefit_totals[0] - Decimal("139.45")
    assert sheet.intangibles == ["Les silos se parlent"]
