"""Governance forms: they validate input; services do the writes."""

from __future__ import annotations

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
