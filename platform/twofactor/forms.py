from django import forms
from django.utils.translation import gettext_lazy as _

from twofactor.services import CODE_MAX_LENGTH


class CodeForm(forms.Form):
    """A code from the authenticator app (six digits) or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX_LENGTH + 4,  # room for the spaces people type; the service strips
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )
