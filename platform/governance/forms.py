"""Governance forms: they validate input; services do the writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Charter, MaturityStage, ReportReason
from governance.questionnaire import ANSWER_MAX_LENGTH, QUESTIONS
from people.models import Department


class CharterForm(forms.ModelForm):
    class Meta:
        model = Charter
        fields = ["title_fr", "title_en", "body_fr", "body_en"]
        widgets = {
            "body_fr": forms.Textarea(attrs={"rows": 16, "lang": "fr"}),
            "body_en": forms.Textarea(attrs={"rows": 16, "lang": "en"}),
            "title_fr": forms.TextInput(attrs={"lang": "fr"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
        }
        help_texts = {
            "body_fr": _("Plain text; leave a blank line between paragraphs."),
            "body_en": _("Plain text; leave a blank line between paragraphs."),
        }


class CharterAcceptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label=_("I have read the charter and I agree to follow it."),
        error_messages={"required": _("Tick the box to accept the charter.")},
    )


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


class AuditSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


class RightsFilterForm(forms.Form):
    q = forms.CharField(label=_("Person"), required=False, max_length=100)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("All departments"),
    )
    place = forms.ChoiceField(label=_("Place"), required=False)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("Everywhere")), *places]


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


class CommunityRoleForm(forms.Form):
    community = forms.IntegerField(min_value=1)
    role = forms.ChoiceField(choices=[("manager", _("manager")), ("member", _("member"))])


class CalendarFilterForm(forms.Form):
    place = forms.ChoiceField(label=_("Place"), required=False)
    author = forms.CharField(label=_("Author (username)"), required=False, max_length=150)

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", _("Everywhere")), *places]

    def clean_author(self):
        username = self.cleaned_data["author"].strip()
        if not username:
            return None
        from people.models import User

        author = User.objects.filter(username=username).only("pk", "username").first()
        if author is None:
            raise forms.ValidationError(_("No employee has this username."))
        return author


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[f"q{question.key}"] = forms.CharField(
                label=f"{question.number}. {question.text}",
                help_text=question.other_language_text,
                required=False,
                max_length=ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def question_fields(self):
        return [self[f"q{question.key}"] for question in QUESTIONS]

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data.get(f"q{q.key}", "") for q in QUESTIONS}
