from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key`: a dict lookup with a variable key (memberships by community)."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def live_labels() -> dict[str, str]:
    """Translated words the live script needs to build rows without a round trip."""
    return {
        "question": _("Question"),
        "answered": _("Answered"),
        "announcement": _("Announcement"),
        "pinned": _("Pinned"),
        "locked": _("Locked"),
        "replies_one": _("1 reply"),
        "replies_many": _("%(n)s replies"),
        "viewing": _("%(n)s viewing now"),
        "removed": _("You are no longer a member of this community."),
        "reply_hidden": _("This reply was hidden."),
        "thread_hidden": _("This thread was hidden or deleted."),
        "accepted": _("Accepted answer"),
        "new_reply": _("New reply"),
        "thread_locked": _("This thread is locked: nobody can reply to it any more."),
        "kept_text": _("What you wrote (not published)"),
    }
