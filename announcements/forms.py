"""The announcement form: it validates and keeps what was typed; the service writes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from announcements.models import Announcement, Audience
from communities.models import Community
from communities.selectors import visible_communities_q
from people.models import Department, User


class AnnouncementForm(forms.ModelForm):
    publish_at = forms.DateTimeField(
        label=_("Publish on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish now; a later date schedules it."),
    )

    class Meta:
        model = Announcement
        fields = [
            "title",
            "body",
            "audience",
            "departments",
            "community",
            "requires_ack",
            "deadline",
            "send_email",
            "publish_at",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "audience": forms.RadioSelect,
            "departments": forms.CheckboxSelectMultiple,
            "deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {
            "departments": _("When the audience is some departments."),
            "community": _("When the audience is the members of a community."),
            "requires_ack": _(
                "It stays on top of each recipient's home page until they say they have read it."
            ),
            "deadline": _("Optional: the date by which everyone should have read it."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].initial = Audience.EVERYONE
        departments = cast(forms.ModelMultipleChoiceField, self.fields["departments"])
        departments.queryset = Department.objects.order_by("name")
        community = cast(forms.ModelChoiceField, self.fields["community"])
        community.queryset = Community.objects.filter(
            pk__in=Community.objects.filter(visible_communities_q(user)).values("pk")
        ).order_by("name")

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "audience": data["audience"],
            "departments": list(data.get("departments") or []),
            "community": data.get("community"),
            "requires_ack": data.get("requires_ack", False),
            "deadline": data.get("deadline"),
            "send_email": data.get("send_email", False),
            "publish_at": data.get("publish_at"),
        }
