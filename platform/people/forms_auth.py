from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from people.ldap import refusal_of


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

    def get_invalid_login_error(self) -> ValidationError:
        # The directory (people.ldap) could not be asked, or knows the person but Ruche
        # refuses them: say that rather than "wrong password", which would send them to reset
        # a password that is right.
        refusal = refusal_of(self.request)
        if refusal:
            return ValidationError(refusal, code="directory")
        return super().get_invalid_login_error()
