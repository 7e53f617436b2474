from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    """The administrator types the username again: an erasure cannot be undone."""

    confirm = forms.CharField(label=_("Type the username to confirm"), max_length=150)

    def __init__(self, *args: Any, username: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username = username

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"]
        if value.strip() != self.username:
            raise forms.ValidationError(_("This is not the username of the person to erase."))
        return value
