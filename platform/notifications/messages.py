"""The sentences that say what happened, in the reader's language.

They are built when shown (page or e-mail), not when the notification is stored, so that each
recipient reads them in their own language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Kind, Notification


def headline(notification: Notification) -> str:
    actor = notification.actor.name if notification.actor_id else _("Someone")
    values = {"actor": actor, "title": notification.target_title or _("Ruche")}
    kind = notification.kind
    if kind == Kind.COMMENT:
        return _("%(actor)s commented on “%(title)s”") % values
    if kind == Kind.REPLY:
        return _("%(actor)s replied to you in “%(title)s”") % values
    if kind == Kind.MENTION:
        return _("%(actor)s mentioned you in “%(title)s”") % values
    if kind == Kind.ANSWER:
        return _("%(actor)s answered your question “%(title)s”") % values
    if kind == Kind.ANSWER_ACCEPTED:
        return _("%(actor)s accepted your answer in “%(title)s”") % values
    if kind == Kind.JOIN_REQUEST:
        return _("%(actor)s asks to join “%(title)s”") % values
    if kind == Kind.MEMBERSHIP:
        return _("%(actor)s updated your membership of “%(title)s”") % values
    if kind == Kind.ANNOUNCEMENT:
        return _("%(actor)s made an announcement: “%(title)s”") % values
    if kind == Kind.NEW_THREAD:
        return _("%(actor)s started “%(title)s”") % values
    if kind == Kind.NEW_POST:
        return _("%(actor)s published “%(title)s”") % values
    if kind == Kind.REACTION:
        return _("%(actor)s reacted in “%(title)s”") % values
    if kind == Kind.MODERATION:
        return _("%(actor)s moderated your content in “%(title)s”") % values
    return _("%(actor)s: “%(title)s”") % values


def group_headline(notification: Notification, count: int) -> str:
    """The heading of a group of `count` unread notifications like `notification`."""
    if count <= 1:
        return headline(notification)
    values = {"count": count, "title": notification.target_title or _("Ruche")}
    kind = notification.kind
    if kind == Kind.COMMENT:
        text = ngettext(
            "%(count)s new comment on “%(title)s”", "%(count)s new comments on “%(title)s”", count
        )
    elif kind == Kind.REPLY:
        text = ngettext(
            "%(count)s new reply in “%(title)s”", "%(count)s new replies in “%(title)s”", count
        )
    elif kind == Kind.MENTION:
        text = ngettext(
            "%(count)s new mention in “%(title)s”", "%(count)s new mentions in “%(title)s”", count
        )
    elif kind == Kind.ANSWER:
        text = ngettext(
            "%(count)s new answer to “%(title)s”", "%(count)s new answers to “%(title)s”", count
        )
    elif kind == Kind.JOIN_REQUEST:
        text = ngettext(
            "%(count)s new request to join “%(title)s”",
            "%(count)s new requests to join “%(title)s”",
            count,
        )
    else:
        text = ngettext(
            "%(count)s new notification about “%(title)s”",
            "%(count)s new notifications about “%(title)s”",
            count,
        )
    return text % values
