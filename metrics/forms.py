"""The administrators' form for the maturity thresholds."""

from __future__ import annotations

import itertools

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from metrics.definitions import objective_metric_choices
from metrics.models import MaturityCriteria

PERCENT_FIELDS = [
    "testing_adoption",
    "coordinating_adoption",
    "coordinating_charter",
    "scaling_adoption",
    "scaling_departments",
    "scaling_executives_posted",
    "scaling_cross_department",
    "empowered_adoption",
    "empowered_contributors",
    "empowered_departments_active",
    "empowered_executives",
    "empowered_answered",
]
COUNT_FIELDS = [
    "testing_active_spaces",
    "coordinating_departments",
    "coordinating_cross_communities",
]
ADOPTION_LADDER = [
    "testing_adoption",
    "coordinating_adoption",
    "scaling_adoption",
    "empowered_adoption",
]


class CriteriaForm(forms.ModelForm):
    """All thresholds at once: the set is checked as a whole, and refused as a whole."""

    class Meta:
        model = MaturityCriteria
        fields = (
            PERCENT_FIELDS[:1]
            + COUNT_FIELDS[:1]
            + PERCENT_FIELDS[1:3]
            + COUNT_FIELDS[1:]
            + (PERCENT_FIELDS[3:])
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PERCENT_FIELDS:
            field = self.fields[name]
            field.min_value, field.max_value = 0, 100
            field.widget.attrs.update({"min": 0, "max": 100, "step": "any"})
            field.error_messages["invalid"] = _("Enter a percentage between 0 and 100.")
        for name in COUNT_FIELDS:
            self.fields[name].widget.attrs.update({"min": 0, "max": 1000})

    def clean(self):
        cleaned = super().clean()
        for name in PERCENT_FIELDS:
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 100:
                self.add_error(name, _("Enter a percentage between 0 and 100."))
        for name in COUNT_FIELDS:
            value = cleaned.get(name)
            if value is not None and value > 1000:
                self.add_error(name, _("Enter a number between 0 and 1000."))
        ladder = [cleaned.get(name) for name in ADOPTION_LADDER]
        if None not in ladder and any(a > b for a, b in itertools.pairwise(ladder)):
            raise ValidationError(
                _(
                    "The adoption thresholds must not go down from one stage to the next "
                    "(Testing ≤ Coordinating ≤ Scaling ≤ Empowered)."
                ),
                code="ladder",
            )
        return cleaned


class ObjectiveForm(forms.Form):
    """A department head's objective: what is typed is parsed here; the rules (range of the
    target for the metric, a future date) are the service's, which refuses with the field."""

    metric = forms.ChoiceField(label=_("Metric"))
    target = forms.FloatField(
        label=_("Target"),
        help_text=_("In percent for a rate (0 to 100), in people for a count (more than 0)."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    target_date = forms.DateField(
        label=_("Target date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    people = forms.CharField(
        label=_("People"),
        help_text=_("Who are the people of your department, and how do they work together?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    objectives = forms.CharField(
        label=_("Objectives"),
        help_text=_("What do you want to achieve with them, in business terms?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    strategy = forms.CharField(
        label=_("Strategy"),
        help_text=_("How will the department change to get there? The tools come last."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = objective_metric_choices()
