"""Governance console forms: they validate input; services do the writes."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from console.models import MaturityStage, ReportReason
from console.questionnaire import ANSWER_MAX_LENGTH, QUESTIONS, other_language
from core.content import Label
from people.directory_import import MAX_FILE_BYTES
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


# --- Directory import ----------------------------------------------------------------------------

IMPORT_TOKEN_SALT = "console.directory_import"  # noqa: S105 (a salt: names the signature's use)
IMPORT_TOKEN_MAX_AGE = 3600  # a preview left for an hour is previewed again


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 (with or without BOM), separated by ; or , — columns: email, first_name, "
            "last_name, username, department, job_title, manager_email, language."
        ),
    )
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate the active accounts absent from the file"),
        required=False,
        help_text=_("Never administrators. Without it, leavers stay active."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return cast(bytes, upload.read())


def import_token(*, content: bytes, deactivate_missing: bool, digest: str) -> str:
    """What the preview's confirmation sends back: the very file previewed, its options and the
    digest of its plan, signed (nobody changes them in between) and compressed."""
    payload = {
        "content": base64.b64encode(content).decode(),
        "deactivate_missing": deactivate_missing,
        "digest": digest,
    }
    return signing.dumps(payload, salt=IMPORT_TOKEN_SALT, compress=True)


class DirectoryConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self) -> dict[str, Any]:
        try:
            payload = signing.loads(
                self.cleaned_data["token"], salt=IMPORT_TOKEN_SALT, max_age=IMPORT_TOKEN_MAX_AGE
            )
        except signing.SignatureExpired as error:
            raise forms.ValidationError(
                _("This preview is more than an hour old: upload the file again.")
            ) from error
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("This preview is not valid: upload the file again.")
            ) from error
        return {
            "content": base64.b64decode(payload["content"]),
            "deactivate_missing": bool(payload["deactivate_missing"]),
            "expected_digest": str(payload["digest"]),
        }
