"""Template helpers: the governance sub-navigation and the "report" link other apps show."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from governance import permissions
from governance.models import ContentKind

register = template.Library()

_NAV = [
    ("charter", _("Charter"), "governance:charter", permissions.can_accept_charter),
    ("rights", _("Publishing rights"), "governance:rights_map", permissions.can_view_rights_map),
    ("calendar", _("Editorial calendar"), "governance:calendar", permissions.can_view_calendar),
    (
        "moderation",
        _("Moderation"),
        "governance:moderation_queue",
        permissions.can_view_moderation_queue,
    ),
    ("audit", _("Audit log"), "governance:audit_log", permissions.can_view_audit_log),
    (
        "questionnaire",
        _("Leaders' questionnaire"),
        "governance:questionnaire_summary",
        permissions.can_view_questionnaire_summary,
    ),
]


@register.inclusion_tag("governance/includes/nav.html", takes_context=True)
def governance_nav(context, current: str = "") -> dict:
    user = context["request"].user
    items = []
    for key, label, url_name, visible in _NAV:
        if visible(user):
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # a section not mounted yet: leave it out of the menu
                continue
            items.append({"key": key, "label": label, "url": url})
    return {"governance_nav": items, "current": current}


@register.inclusion_tag("governance/includes/report_link.html")
def report_link(kind: str, object_id: int) -> dict:
    """`{% report_link "post" post.pk %}`: the link to report a piece of content."""
    return {"url": reverse("governance:report", kwargs={"kind": kind, "object_id": object_id})}


@register.inclusion_tag("governance/includes/report_link.html")
def report_comment_link(comment) -> dict:
    """`{% report_comment_link comment %}`: report a comment on a post or a reply in a thread.

    The content type comes from Django's cache, so a list of comments costs no query here.
    """
    from django.contrib.contenttypes.models import ContentType

    target = ContentType.objects.get_for_id(comment.content_type_id).model_class()
    label = target._meta.label_lower if target is not None else ""
    kind = ContentKind.REPLY if label == "communities.thread" else ContentKind.COMMENT
    return report_link(kind, comment.pk)


@register.filter
def get_item(mapping: dict, key):
    """`{{ names|get_item:report.community_id }}`: a value from a dict built by the view."""
    return mapping.get(key) if mapping else None
