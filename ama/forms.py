"""The forms of ask-me-anything sessions: they validate and keep what was typed; the services
write (and refuse what the forms cannot know: the audience rules, the window, the charter)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ama.models import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH, Audience, Session
from communities.models import Community, Membership, MembershipState, Role
from people.models import Department, User

_WHEN = {"type": "datetime-local"}
_WHEN_FORMAT = "%Y-%m-%dT%H:%M"


class SessionForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Opens at"),
        required=False,
        widget=forms.DateTimeInput(attrs=_WHEN, format=_WHEN_FORMAT),
        help_text=_("Leave empty to open it now; questions are taken while it is open."),
    )
    ends_at = forms.DateTimeField(
        label=_("Closes at"),
        widget=forms.DateTimeInput(attrs=_WHEN, format=_WHEN_FORMAT),
        help_text=_("Afterwards the session is archived: still readable, no more questions."),
    )

    class Meta:
        model = Session
        fields = ["title", "description", "audience", "departments", "community"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "audience": forms.RadioSelect,
            "departments": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "departments": _("When the audience is some departments."),
            "community": _("When the audience is the members of a community you manage."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].initial = (
            Audience.EVERYONE if user.is_executive or user.is_superuser else Audience.COMMUNITY
        )
        departments = cast(forms.ModelMultipleChoiceField, self.fields["departments"])
        departments.queryset = Department.objects.order_by("name")
        community = cast(forms.ModelChoiceField, self.fields["community"])
        managed = Community.objects.all()
        if not user.is_superuser:
            managed = managed.filter(
                pk__in=Membership.objects.filter(
                    user=user, role=Role.MANAGER, state=MembershipState.ACTIVE
                ).values("community_id")
            )
        community.queryset = managed.order_by("name")

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data.get("description") or "",
            "audience": data["audience"],
            "departments": list(data.get("departments") or []),
            "community": data.get("community"),
            "starts_at": data.get("starts_at"),
            "ends_at": data.get("ends_at"),
        }


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    anonymous = forms.BooleanField(
        label=_("Ask anonymously"),
        required=False,
        help_text=_(
            "The audience and the host read “Anonymous colleague”; the moderators and the "
            "audit log still know it is you."
        ),
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
