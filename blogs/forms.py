"""Forms of the blog views (the post editor itself is Wagtail's, with blogs.models.PostPageForm)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blogs import selectors
from blogs.composer import blocks_from_html, kept_html
from core.models import HIDDEN_REASON_MAX_LENGTH
from people.forms import PersonField
from people.models import User


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


MAX_TAGS = 10
COMPOSER_ACTIONS = ("draft", "preview", "schedule", "publish", "full")


class ComposerForm(forms.Form):
    """The composer's form (blogs/includes/composer_form.html): a post on one of the blogs the
    writer may write on. The body is the editor's HTML (`body_format` "html", set by
    composer.js) or, without the script, plain text typed in the text area. `clean()` leaves
    the StreamField data of the body in `cleaned_data["blocks"]`."""

    person = forms.TypedChoiceField(
        label=_("Post on"), coerce=int, required=False, empty_value=None
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        error_messages={"required": _("Give your post a title.")},
    )
    body = forms.CharField(
        label=_("Your text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-mentions": "", "data-composer-body": ""}),
    )
    body_format = forms.ChoiceField(
        choices=[("text", "text"), ("html", "html")],
        initial="text",
        required=False,
        widget=forms.HiddenInput(attrs={"data-composer-format": ""}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    go_live_at = forms.DateTimeField(
        label=_("Publish on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[(a, a) for a in COMPOSER_ACTIONS], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, writer: User, people: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.writer = writer
        self.people = {person.pk: person for person in people}
        self.fields["person"].choices = [
            (
                person.pk,
                _("My blog")
                if person.pk == writer.pk
                else _("The blog of %(name)s") % {"name": person.name},
            )
            for person in people
        ]
        self.fields["person"].initial = writer.pk

    def clean_tags(self) -> list[str]:
        names = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(_("At most %(count)s tags.") % {"count": MAX_TAGS})
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError(_("A tag has at most 100 characters."))
        return list(dict.fromkeys(names))

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action") or "publish"
        cleaned["action"] = action
        body = cleaned.get("body") or ""
        try:
            if cleaned.get("body_format") == "html":
                cleaned["blocks"] = blocks_from_html(body, actor=self.writer)
            else:
                cleaned["blocks"] = body
        except forms.ValidationError as error:
            self.add_error(None, error)
        when = cleaned.get("go_live_at")
        if action == "schedule":
            if when is None:
                self.add_error("go_live_at", _("Choose when to publish the post."))
            elif when <= timezone.now():
                self.add_error("go_live_at", _("Choose a moment in the future."))
        return cleaned

    @property
    def chosen_person(self) -> User:
        """Whose blog the post goes on (the writer's own when the form does not say)."""
        return self.people.get(self.cleaned_data.get("person") or self.writer.pk, self.writer)

    def kept_body(self) -> str:
        """What the body field shows again: the typed text, safe (after a refusal)."""
        body = self.data.get(self.add_prefix("body"), "")
        if self.data.get(self.add_prefix("body_format")) == "html":
            return kept_html(body)
        return body


def composer_form_for(writer: User, data: Any = None) -> ComposerForm:
    """The composer's form for `writer`: shown empty, it gets a new idempotency key (a form
    shown again after a refusal keeps the key it was sent with)."""
    form = ComposerForm(data, writer=writer, people=selectors.composer_people(user=writer))
    if data is None:
        form.initial["idempotency_key"] = uuid.uuid4()
    return form


class AnswerForm(forms.Form):
    """The reply box under a question in the executive's cockpit. The text is checked by
    `interactions.services.comment_create` (empty, too long), like every comment's."""

    body = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
