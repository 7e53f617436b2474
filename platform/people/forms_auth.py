from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The login form, with labels and an error message written for employees."""

    error_messages = {
        "invalid_login": _(
            "Your username or password is not right. Both are case-sensitive: try again, "
            "or ask an administrator to reset your password."
        ),
        "inactive": _("This account is deactivated. Please contact an administrator."),
    }

    username = forms.CharField(
        label=_("Username"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
