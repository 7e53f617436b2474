"""The sentences that say what happened, in the reader's language.

They are built when shown (page or e-mail), not when the notification is stored, so that each
recipient reads them in their own language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Kind, Notification

# For these kinds the sentence depends on details only the caller knows (accepted for whom,
# hidden or restored and why, invited or admitted), so the caller's `summary` is shown as
# written. For every other kind the sentence is built here, in the reader's language, and
# the summary (the same sentence in the actor's language) is not repeated under it.
SUMMARY_KINDS = frozenset(
    {Kind.ANSWER, Kind.ANSWER_ACCEPTED, Kind.MEMBERSHIP, Kind.MODERATION, Kind.DRAFT_READY}
)


def text(notification: Notification) -> str:
    """The one sentence that says what happened."""
    if notification.kind in SUMMARY_KINDS and notification.summary:
        return notification.summary
    return headline(notification)


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
    if kind == Kind.DRAFT_READY:
        return _("%(actor)s marked a draft ready for your review") % values
    return _("%(actor)s: “%(title)s”") % values


def group_headline(notification: Notification, count: int) -> str:
    """The heading of a group of `count` unread notifications like `notification`."""
    if count <= 1:
        return text(notification)
    values = {"count": count, "title": notification.target_title or _("Ruche")}
    kind = notification.kind
    if kind == Kind.COMMENT:
        sentence = ngettext(
            "%(count)s new comment on “%(title)s”", "%(count)s new comments on “%(title)s”", count
        )
    elif kind == Kind.REPLY:
        sentence = ngettext(
            "%(count)s new reply in “%(title)s”", "%(count)s new replies in “%(title)s”", count
        )
    elif kind == Kind.MENTION:
        sentence = ngettext(
            "%(count)s new mention in “%(title)s”", "%(count)s new mentions in “%(title)s”", count
        )
    elif kind == Kind.ANSWER:
        sentence = ngettext(
            "%(count)s new answer to “%(title)s”", "%(count)s new answers to “%(title)s”", count
        )
    elif kind == Kind.JOIN_REQUEST:
        sentence = ngettext(
            "%(count)s new request to join “%(title)s”",
            "%(count)s new requests to join “%(title)s”",
            count,
        )
    else:
        sentence = ngettext(
            "%(count)s new notification about “%(title)s”",
            "%(count)s new notifications about “%(title)s”",
            count,
        )
    return sentence % values
