"""Governance console forms: they validate input; services do the writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from console.models import MaturityStage, ReportReason
from console.questionnaire import ANSWER_MAX_LENGTH, QUESTIONS, other_language
from core.content import Label
from people.forms import PersonField, PersonInput
from people.models import Department


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Optional, unless you chose “Something else”. The author never sees who reported."
        ),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Explanation for the author"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to hide: the author reads it. Never name who reported."),
    )


class RightsFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=100,
        widget=PersonInput(),
        help_text=_("A name, a username or a job title; or choose someone from the suggestions."),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("All departments"),
    )
    place = forms.ChoiceField(label=_("Place"), required=False)

    def __init__(self, *args: Any, places: Sequence[tuple[str, Label]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = cast(forms.ChoiceField, self.fields["place"])
        place.choices = [("", _("Everywhere")), *places]


class RoleChangeForm(forms.Form):
    person = forms.IntegerField(min_value=1)
    role = forms.ChoiceField(
        choices=[
            ("executive", _("Executive (Leadership space)")),
            ("community_manager", _("Community manager (creates and runs communities)")),
        ]
    )
    granted = forms.TypedChoiceField(
        choices=[("1", _("grant")), ("0", _("withdraw"))], coerce=lambda v: v == "1"
    )


class CalendarFilterForm(forms.Form):
    place = forms.ChoiceField(label=_("Place"), required=False)
    author = PersonField(label=_("Author"), required=False)

    def __init__(self, *args: Any, places: Sequence[tuple[str, Label]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = cast(forms.ChoiceField, self.fields["place"])
        place.choices = [("", _("Everywhere")), *places]


class QuestionnaireForm(forms.Form):
    """The 27 questions of seed 001 (all optional, as the seed says) and where the respondent
    believes the organisation stands."""

    believed_stage = forms.ChoiceField(
        label=_("Where do you believe the organisation stands on the social maturity scale?"),
        choices=MaturityStage.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Dormant: almost no social activity. Testing: initiatives here and there. "
            "Coordinating: governance and policy in place. Scaling: a plan, across departments. "
            "Empowered: social pervades the organisation."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[f"q{question.key}"] = forms.CharField(
                label=f"{question.number}. {question.text}",
                help_text=question.other_language_text,
                required=False,
                max_length=ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @property
    def help_language(self) -> str:
        """The language of the questions' help texts (the other language's version)."""
        return other_language()

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q{question.key}"] for question in QUESTIONS]

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(f"q{q.key}", "") for q in QUESTIONS}
