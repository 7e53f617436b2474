"""Forms of the blog views (the post editor itself is Wagtail's, with blogs.models.PostPageForm)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import HIDDEN_REASON_MAX_LENGTH
from people.models import User


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


class PostModerationForm(forms.Form):
    """Why an administrator hides a post (Wagtail's admin); the author reads it. Required by
    governance.services.content_hide, which says so on the field when it is empty."""

    reason = forms.CharField(
        label=_("Reason, for its author"),
        max_length=HIDDEN_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
