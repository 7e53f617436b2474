"""The notification settings form: what to hear about in Ruche, and what by e-mail."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import DigestFrequency, Kind, NotificationPreference

ALL_KINDS = [value for value, _label in Kind.choices]
TIME_ZONE_CHOICES = [
    ("", _("The company's time zone (Paris)")),
    *((name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())),
]


class PreferenceForm(forms.Form):
    in_app_kinds = forms.MultipleChoiceField(
        label=_("Notify me in Ruche about"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a kind to stop it entirely: no notification, no e-mail."),
    )
    email_enabled = forms.BooleanField(
        label=_("Receive e-mail from Ruche"),
        required=False,
        help_text=_("Untick to stop every e-mail, whatever the choices below."),
    )
    email_immediate = forms.BooleanField(
        label=_("E-mail me at once when someone comments on my posts or replies to me"),
        required=False,
    )
    digest_frequency = forms.ChoiceField(
        label=_("Digest of what I have not read"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_("Daily digests leave at 7:00, weekly ones on Monday at 7:00 (Paris time)."),
    )
    email_kinds = forms.MultipleChoiceField(
        label=_("Kinds included in e-mail"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    content_digest = forms.BooleanField(
        label=_("Weekly digest of new content"),
        required=False,
        help_text=_(
            "On Monday at 7:00 in your time zone: the new posts of the people you follow, the "
            "new threads of your communities and the leaders' posts you have not read. "
            "Nothing is sent in a week with nothing new."
        ),
    )
    time_zone = forms.ChoiceField(
        label=_("My time zone"), choices=TIME_ZONE_CHOICES, required=False
    )

    @classmethod
    def initial_from(cls, preference: NotificationPreference) -> dict:
        return {
            "in_app_kinds": [k for k in ALL_KINDS if k not in preference.disabled_kinds],
            "email_enabled": preference.email_enabled,
            "email_immediate": preference.email_immediate,
            "digest_frequency": preference.digest_frequency,
            "email_kinds": [k for k in ALL_KINDS if k not in preference.email_disabled_kinds],
            "content_digest": preference.content_digest,
            "time_zone": preference.time_zone,
        }

    def changes(self) -> dict:
        """The form's answers in the shape `services.preference_update` takes."""
        data = self.cleaned_data
        return {
            "disabled_kinds": [k for k in ALL_KINDS if k not in data["in_app_kinds"]],
            "email_disabled_kinds": [k for k in ALL_KINDS if k not in data["email_kinds"]],
            "email_enabled": data["email_enabled"],
            "email_immediate": data["email_immediate"],
            "digest_frequency": data["digest_frequency"],
            "content_digest": data["content_digest"],
            "time_zone": data["time_zone"],
        }
