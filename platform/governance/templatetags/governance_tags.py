"""Template helpers: the governance sub-navigation and the "report" link other apps show.

`{% load governance_tags %}` works in every app's templates; the report link only names the
console's URL ("governance:report"), it imports nothing above the kernel.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse

from core import content
from governance.navigation import sections

register = template.Library()


@register.inclusion_tag("governance/includes/nav.html", takes_context=True)
def governance_nav(context: dict[str, Any], current: str = "") -> dict[str, Any]:
    user = context["request"].user
    items = []
    for section in sections():
        if section.visible(user):
            url = reverse(section.url_name)
            items.append({"key": section.key, "label": section.label, "url": url})
    return {"governance_nav": items, "current": current}


@register.inclusion_tag("governance/includes/report_link.html")
def report_link(kind: str, object_id: int) -> dict[str, str]:
    """`{% report_link "post" post.pk %}`: the link to report a piece of content."""
    return {"url": reverse("governance:report", kwargs={"kind": kind, "object_id": object_id})}


def _comment_kind_on(content_type_id: int) -> str:
    """The kind key of a comment written on objects of this content type: the target's kind
    says it (`comment_kind`: "reply" on a thread, "comment" elsewhere)."""
    target = ContentType.objects.get_for_id(content_type_id).model_class()
    for candidate in content.kinds():
        if target is not None and issubclass(target, candidate.model):
            return candidate.comment_kind
    return "comment"


@register.inclusion_tag("governance/includes/report_link.html")
def report_comment_link(comment: models.Model) -> dict[str, str]:
    """`{% report_comment_link comment %}`: report a comment on a post or a reply in a thread.

    The content type comes from Django's cache, so a list of comments costs no query here.
    """
    return report_link(_comment_kind_on(comment.content_type_id), comment.pk)  # type: ignore[attr-defined]


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """`{{ names|get_item:report.community_id }}`: a value from a dict built by the view."""
    return mapping.get(key) if mapping else None


@register.filter
def audit_json(value: Any) -> str:
    """An audit entry's raw before/after as readable JSON (the details disclosure)."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, cls=DjangoJSONEncoder)
