from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from people.models import User
from people.photos import photo_normalise
from people.selectors import people_by_name
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
            # The manager is chosen by name with the people picker, not from a list of everyone.
            self.fields["manager"] = PersonField(
                label=User._meta.get_field("manager").verbose_name.capitalize(), required=False
            )
            if not self.is_bound and self.instance.manager_id:
                self.initial["manager"] = self.instance.manager.username

    def clean_photo(self):
        """A new photo is stored resized and without its metadata (people.photos); False means
        "Clear" was ticked, the stored file is kept otherwise."""
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            if photo.size is not None and photo.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("The photo must be smaller than 4 MB."))
            return photo_normalise(photo)
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


class PersonInput(forms.TextInput):
    """The text box of a person field, enhanced by `core/people-picker.js` (suggestions by
    name, job title or department; the form then submits the chosen person's username). Without
    the script it stays a text box where a username or a full name can be typed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "data-people-picker": reverse_lazy("people:pick"),
                "autocomplete": "off",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )


class PersonField(forms.CharField):
    """One active employee, chosen by username or by name.

    The people picker submits the username; someone who types "Sophie Laurent" without choosing
    from the list is understood too when exactly one active employee has that name
    (`people.selectors.people_by_name`). Otherwise the form says that nobody, or several people,
    match, and keeps what was typed. Cleans to a `User` (or None when optional and empty)."""

    widget = PersonInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> User | None:  # type: ignore[override]
        text = super().clean(value)
        text = " ".join(str(text or "").split()).lstrip("@")
        if not text:
            return None
        people = people_by_name(text)
        if not people:
            raise forms.ValidationError(
                _("Nobody active is called “%(name)s”: choose a colleague from the suggestions."),
                code="nobody",
                params={"name": text},
            )
        if len(people) > 1:
            raise forms.ValidationError(
                _(
                    "Several people are called “%(name)s”: choose the right one from the "
                    "suggestions."
                ),
                code="several",
                params={"name": text},
            )
        return people[0]
