"""Governance kernel forms (charter, audit search): they validate input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import Charter


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


class AuditSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned
