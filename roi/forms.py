"""The worksheet's forms: the period shown (and the one compared), and the assumptions with
their free lines (one formset per table). Forms check the shape of what was typed; the service
decides (`roi.services.worksheet_version_save`), so a script gets the same refusals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roi.figures import Span
from roi.models import LineKind, Period, WorksheetVersion
from roi.services import ASSUMPTION_FIELDS, MAX_LINES, LineInput

DEFAULT_DAYS = 90


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    compare_start = forms.DateField(
        label=_("Compare with: from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    compare_end = forms.DateField(
        label=_("Compare with: to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the previous period of the same length."),
    )

    @classmethod
    def for_request(cls, data: Any, latest: date | None) -> PeriodForm:
        """Bound to the query string when it names a period, else to the default: the 90 days
        ending on the latest day the metrics were computed for."""
        if data.get("start") or data.get("end"):
            return cls(data)
        end = latest or timezone.localdate() - timedelta(days=1)
        return cls({"start": end - timedelta(days=DEFAULT_DAYS - 1), "end": end})

    def _span(self, start_name: str, end_name: str) -> None:
        start, end = self.cleaned_data.get(start_name), self.cleaned_data.get(end_name)
        today = timezone.localdate()
        for name, day in ((start_name, start), (end_name, end)):
            if day is not None and day > today:
                self.add_error(name, _("This date is in the future: nothing is measured yet."))
        if start is not None and end is not None and end < start:
            self.add_error(end_name, _("The end of a period cannot come before its start."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._span("start", "end")
        has_start, has_end = cleaned.get("compare_start"), cleaned.get("compare_end")
        if bool(has_start) != bool(has_end):
            self.add_error(
                "compare_end" if has_start else "compare_start",
                _("Give both dates of the period compared, or neither."),
            )
        self._span("compare_start", "compare_end")
        return cleaned

    def spans(self) -> list[Span]:
        """[the period shown, the period compared]; call once the form is valid."""
        shown = Span(self.cleaned_data["start"], self.cleaned_data["end"])
        if self.cleaned_data.get("compare_start"):
            return [
                shown,
                Span(self.cleaned_data["compare_start"], self.cleaned_data["compare_end"]),
            ]
        return [shown, shown.previous()]


class AssumptionsForm(forms.ModelForm):
    class Meta:
        model = WorksheetVersion
        fields = [*ASSUMPTION_FIELDS, "note"]
        widgets = {"note": forms.TextInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ASSUMPTION_FIELDS[1:]:
            self.fields[name].widget.attrs.update({"min": 0, "step": "0.01"})
            self.fields[name].error_messages["min_value"] = _("An amount cannot be negative.")


class AmountLineForm(forms.Form):
    label = forms.CharField(label=_("Line"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={"min_value": _("An amount cannot be negative.")},
    )
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices, initial=Period.YEAR)


class IntangibleLineForm(forms.Form):
    label = forms.CharField(label=_("Benefit"), max_length=200)


def _formset(form: type[forms.Form]) -> type[forms.BaseFormSet[Any]]:
    return forms.formset_factory(
        form, extra=2, max_num=MAX_LINES, validate_max=True, can_delete=True
    )


CostFormSet = _formset(AmountLineForm)
BenefitFormSet = _formset(AmountLineForm)
IntangibleFormSet = _formset(IntangibleLineForm)


class WorksheetForms:
    """The assumptions and the three formsets, bound or filled from the current version."""

    def __init__(self, data: Any = None, current: WorksheetVersion | None = None) -> None:
        lines = list(current.lines.all()) if current is not None else []

        def initial(kind: str) -> list[dict[str, Any]]:
            return [
                {"label": ln.label, "amount": ln.amount, "period": ln.period}
                for ln in lines
                if ln.kind == kind
            ]

        self.assumptions = AssumptionsForm(data, initial=_assumption_initial(current), prefix="a")
        self.costs = CostFormSet(data, initial=initial(LineKind.COST), prefix="cost")
        self.benefits = BenefitFormSet(data, initial=initial(LineKind.BENEFIT), prefix="benefit")
        self.intangibles = IntangibleFormSet(
            data, initial=initial(LineKind.INTANGIBLE), prefix="intangible"
        )

    def all(self) -> list[Any]:
        return [self.assumptions, self.costs, self.benefits, self.intangibles]

    def is_valid(self) -> bool:
        # Every form is validated (no short-circuit), so that each shows its own errors.
        results = [form.is_valid() for form in self.all()]
        return all(results)

    def lines(self) -> list[LineInput]:
        out = []
        for kind, formset in (
            (LineKind.COST, self.costs),
            (LineKind.BENEFIT, self.benefits),
            (LineKind.INTANGIBLE, self.intangibles),
        ):
            for form in formset.forms:
                data = form.cleaned_data
                if not data or data.get("DELETE"):
                    continue
                out.append(
                    LineInput(kind, data["label"], data.get("amount"), data.get("period", ""))
                )
        return out


def _assumption_initial(current: WorksheetVersion | None) -> dict[str, Any]:
    if current is None:
        return {}
    return {name: getattr(current, name) for name in ASSUMPTION_FIELDS}
