"""The search form: the words and the filters, validated (a bad filter is an error shown on
the page with what was typed kept, never a 500)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core import content
from people.models import User
from search.selectors import QUERY_MAX_LENGTH, Filters
from search.sources import plural, sources


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=QUERY_MAX_LENGTH, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    community = forms.TypedChoiceField(
        label=_("Community"), required=False, coerce=int, empty_value=None
    )
    author = forms.CharField(
        label=_("Author"),
        max_length=150,
        required=False,
        help_text=_("A username, for example marie.dupont."),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        community = cast(forms.ChoiceField, self.fields["community"])
        kind.choices = [("", _("Everything"))] + [(s.key, plural(s.key)) for s in sources()]
        # Only the communities the person may see can be chosen (one query).
        community.choices = [("", _("Every community"))] + [
            (str(pk), name) for pk, name in content.communities().visible_to(user)
        ]

    def clean_author(self) -> User | None:
        username = self.cleaned_data["author"].strip()
        if not username:
            return None
        person = User.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise forms.ValidationError(
                _("Nobody has the username “%(username)s”."), params={"username": username}
            )
        return person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> Filters:
        """What was asked; call after `is_valid()`."""
        data = self.cleaned_data
        return Filters(
            query=data["q"].strip(),
            kind=data.get("kind") or "",
            community_id=data.get("community"),
            author=data.get("author"),
            since=data.get("since"),
            until=data.get("until"),
        )
