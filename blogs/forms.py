"""Forms of the blog views (the post editor itself is Wagtail's, with blogs.models.PostPageForm)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import User


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the blogs"), max_length=200, required=False)


class DelegateForm(forms.Form):
    username = forms.CharField(
        label=_("Username of your delegate"),
        max_length=150,
        help_text=_("They will prepare drafts on your blog; only you can publish them."),
    )

    def __init__(self, *args, executive: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.executive = executive

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active employee has this username."))
        if user.pk == self.executive.pk:
            raise forms.ValidationError(_("You cannot be your own delegate."))
        self.cleaned_data["user"] = user
        return username
