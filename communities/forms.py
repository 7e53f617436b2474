"""Forms of communities: they validate and keep what was typed; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import AccessMode, Community, Role, Thread, ThreadKind
from core.models import HIDDEN_REASON_MAX_LENGTH
from people.forms import PersonField
from people.models import Department


class CommunityForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "description", "image", "access", "departments"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "access": forms.RadioSelect,
            "departments": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "departments": _("The departments this community brings together."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.order_by("name")
        self.fields["access"].initial = AccessMode.OPEN


class DirectoryForm(forms.Form):
    ACTIVITY_CHOICES = [
        ("", _("Any time")),
        ("week", _("Active this week")),
        ("month", _("Active this month")),
        ("quarter", _("Active these three months")),
    ]
    q = forms.CharField(label=_("Search communities"), required=False, max_length=100)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=_("All departments"),
    )
    activity = forms.ChoiceField(label=_("Activity"), choices=ACTIVITY_CHOICES, required=False)
    mine = forms.BooleanField(label=_("Only my communities"), required=False)


class ThreadForm(forms.ModelForm):
    class Meta:
        model = Thread
        fields = ["kind", "title", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6, "data-mentions": ""}),
            "kind": forms.RadioSelect,
        }
        help_texts = {"body": _("Plain text; type @ and a name to mention a colleague.")}

    def __init__(self, *args, can_announce: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_announce:
            self.fields["kind"].choices = [
                c for c in ThreadKind.choices if c[0] != ThreadKind.ANNOUNCEMENT
            ]
        self.fields["kind"].initial = ThreadKind.DISCUSSION


class ThreadEditForm(forms.ModelForm):
    class Meta:
        model = Thread
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "data-mentions": ""})}


class InviteForm(forms.Form):
    username = PersonField(
        label=_("Colleague to invite"),
        help_text=_("Type their name and choose them from the suggestions."),
    )


class ThreadHideForm(forms.Form):
    """Why a moderator hides a thread: required, its author reads it."""

    reason = forms.CharField(
        label=_("Reason for hiding (its author will read it)"),
        max_length=HIDDEN_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommunityRoleForm(forms.Form):
    """The publishing-rights map's change of a person's role in a community."""

    person = PersonField()
    community = forms.ModelChoiceField(queryset=Community.objects.all())
    role = forms.ChoiceField(choices=Role.choices)
