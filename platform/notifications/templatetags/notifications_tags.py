from __future__ import annotations

from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in person's unread count for the header badge (cached: no query per page)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user.pk)
