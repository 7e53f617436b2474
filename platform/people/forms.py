from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import User
from people.services import ADMIN_PROFILE_FIELDS, PROFILE_FIELDS

MAX_PHOTO_BYTES = 4 * 1024 * 1024


class ProfileForm(forms.ModelForm):
    """The profile as its owner edits it; administrators also see department and manager."""

    class Meta:
        model = User
        fields = PROFILE_FIELDS + ADMIN_PROFILE_FIELDS
        widgets = {
            "bio": forms.TextInput(),
            "narrative_why": forms.Textarea(attrs={"rows": 3}),
            "narrative_goal": forms.Textarea(attrs={"rows": 3}),
            "narrative_help": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "narrative_why": _("What brings you here: the mission you care about."),
            "narrative_goal": _("What you want to do but have not done yet."),
            "narrative_help": _("A call to action: how colleagues can help you get there."),
        }

    def __init__(self, *args, editor: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not editor.is_superuser:
            for field in ADMIN_PROFILE_FIELDS:
                del self.fields[field]
        else:
            self.fields["manager"].queryset = User.objects.filter(is_active=True).order_by(
                "last_name", "first_name"
            )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo is False:  # "Clear" ticked: no photo (the service stores the field as given)
            return ""
        if photo and getattr(photo, "size", 0) > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo must be smaller than 4 MB."))
        return photo

    def clean_display_name(self):
        return self.cleaned_data["display_name"].strip()


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search people"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, job title or department")}),
    )
