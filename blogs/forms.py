"""Forms of the blog views (the post editor itself is Wagtail's, with blogs.models.PostPageForm)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import HIDDEN_REASON_MAX_LENGTH
from people.forms import PersonField
from people.models import User


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the blogs"), max_length=200, required=False)


class DelegateForm(forms.Form):
    username = PersonField(
        label=_("Your delegate"),
        help_text=_(
            "Type their name and choose them from the suggestions. They will prepare drafts "
            "on your blog; only you can publish them."
        ),
    )

    def __init__(self, *args, executive: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.executive = executive

    def clean_username(self) -> str:
        user = self.cleaned_data["username"]
        if user.pk == self.executive.pk:
            raise forms.ValidationError(_("You cannot be your own delegate."))
        self.cleaned_data["user"] = user
        return user.username


class PostModerationForm(forms.Form):
    """Why an administrator hides a post (Wagtail's admin); the author reads it. Required by
    governance.services.content_hide, which says so on the field when it is empty."""

    reason = forms.CharField(
        label=_("Reason, for its author"),
        max_length=HIDDEN_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
