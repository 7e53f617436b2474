"""Saving the assumptions: each save a new immutable version, audited; refusals write nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from governance.audit_text import audit_sentence
from governance.models import AuditEntry
from roi.models import LineKind, Period, WorksheetLine, WorksheetVersion
from roi.selectors import version_current
from roi.services import LineInput, WorksheetError
from tests.factories import ExecutiveFactory, UserFactory
from tests.roi.conftest import save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are read in English here (the default language is French)."""
    with translation.override("en"):
        yield


def test_each_save_is_a_new_version_and_the_latest_is_current(admin):
    first = save(admin, note="Première estimation")
    executive = ExecutiveFactory(username="ceo")
    second = save(executive, note="Coût horaire revu", hourly_cost=Decimal("62.50"))
    assert (first.number, second.number) == (1, 2)
    current = version_current()
    assert current.pk == second.pk and current.author == executive
    first.refresh_from_db()
    assert first.hourly_cost == Decimal("50.00")  # the earlier version is unchanged
    assert [line.label for line in current.lines.all()] == [
        "Hébergement",
        "Lettre imprimée supprimée",
        "Les silos se parlent",
    ]
    with pytest.raises(ValueError, match="immutable"):
        first.note = "réécrit"
        first.save()


def test_a_save_is_in_the_audit_log_with_what_changed(admin):
    save(admin)
    save(admin, note="Coût horaire revu", hourly_cost=Decimal("62.50"))
    entry = AuditEntry.objects.filter(action="roi.saved").order_by("-pk").first()
    assert entry.actor == admin and entry.target_label == "version 2"
    assert entry.before == {"hourly_cost": "50.00"}
    assert entry.after == {"hourly_cost": "62.50", "note": "Coût horaire revu"}
    with translation.override("en"):
        sentence = str(audit_sentence(entry))
    assert "saved <em>version 2</em> of the ROI worksheet" in sentence
    assert "hourly cost of an employee from “50.00” to “62.50”" in sentence
    with translation.override("fr"):
        french = str(audit_sentence(entry))
    assert "de la feuille de calcul du ROI" in french
    assert "coût horaire d’un employé de “50.00” à “62.50”" in french


def test_people_who_are_neither_administrators_nor_executives_are_refused(admin):
    with pytest.raises(PermissionDenied):
        save(UserFactory(username="someone"))
    inactive = ExecutiveFactory(username="gone", is_active=False)
    with pytest.raises(PermissionDenied):
        save(inactive)
    assert not WorksheetVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="roi.saved").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hourly_cost": Decimal("-1")}, "hourly_cost"),
        ({"minutes_per_answer": "beaucoup"}, "minutes_per_answer"),
        ({"licence_cost_per_year": ""}, "licence_cost_per_year"),
        ({"hourly_cost": "NaN"}, "hourly_cost"),
        ({"currency": "euro"}, "currency"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(admin, changes, field):
    with pytest.raises(WorksheetError) as refused:
        save(admin, **changes)
    assert refused.value.field == field
    assert not WorksheetVersion.objects.exists() and not WorksheetLine.objects.exists()
    assert not AuditEntry.objects.filter(action="roi.saved").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (LineInput(LineKind.COST, "Formation", Decimal("-5"), Period.YEAR), "negative"),
        (LineInput(LineKind.COST, "Formation", None, Period.YEAR), "amount"),
        (LineInput(LineKind.BENEFIT, "Voyages", Decimal("5"), "weekly"), "one-off"),
        (LineInput(LineKind.COST, "  ", Decimal("5"), Period.YEAR), "describe"),
    ],
)
def test_bad_lines_are_refused(admin, line, message):
    with pytest.raises(WorksheetError, match=message):
        save(admin, lines=[line])
    assert not WorksheetVersion.objects.exists()


def test_saving_the_same_assumptions_again_writes_nothing(admin):
    save(admin)
    with pytest.raises(WorksheetError, match="Nothing changed"):
        save(admin)
    assert WorksheetVersion.objects.count() == 1
    assert AuditEntry.objects.filter(action="roi.saved").count() == 1


def test_an_intangible_benefit_keeps_no_amount(admin):
    version = save(
        admin, lines=[LineInput(LineKind.INTANGIBLE, "Réputation", Decimal("9"), Period.YEAR)]
    )
    (line,) = version.lines.all()
    assert line.amount is None and line.period == ""
