"""Building the e-mails (a notification, the notification digest, the weekly content digest),
in the recipient's language, each with its way out.

Every message carries a visible unsubscribe link in its body and the RFC 8058 one-click
headers (`List-Unsubscribe` and `List-Unsubscribe-Post`), so a mail client can offer its own
"unsubscribe" button that works without a session.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from notifications.messages import text
from notifications.models import Notification
from notifications.selectors import ContentDigest
from notifications.tokens import Scope, absolute, unsubscribe_url
from people.models import User


def _message(
    *, recipient: User, template: str, context: dict, one_click_url: str
) -> EmailMultiAlternatives:
    subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
    subject = " ".join(subject.split())
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{one_click_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _common(recipient: User) -> dict:
    return {
        "recipient": recipient,
        "settings_url": absolute(reverse("notifications:settings")),
        "centre_url": absolute(reverse("notifications:centre")),
        "unsubscribe_all_url": unsubscribe_url(user_id=recipient.pk, scope=Scope.ALL),
        "site_url": settings.SITE_URL,
    }


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail sent at once for one notification (a comment on your post, a reply)."""
    recipient = notification.recipient
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        if notification.content_type_id:
            mute_url = unsubscribe_url(
                user_id=recipient.pk,
                scope=Scope.TARGET,
                value=f"{notification.content_type_id}.{notification.object_id}",
            )
        else:
            mute_url = unsubscribe_url(
                user_id=recipient.pk, scope=Scope.KIND, value=notification.kind
            )
        context = {
            **_common(recipient),
            "notification": notification,
            "headline": text(notification),
            "link": absolute(notification.url),
            "mute_url": mute_url,
            "kind_url": unsubscribe_url(
                user_id=recipient.pk, scope=Scope.KIND, value=notification.kind
            ),
        }
        return _message(
            recipient=recipient, template="notification", context=context, one_click_url=mute_url
        )


DIGEST_MAX_ITEMS = 30


def digest_email(
    recipient: User, notifications: Sequence[Notification], frequency: str
) -> EmailMultiAlternatives:
    """The daily or weekly summary of what the person has not read yet."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        shown = list(notifications[:DIGEST_MAX_ITEMS])
        digest_off_url = unsubscribe_url(user_id=recipient.pk, scope=Scope.DIGEST)
        context = {
            **_common(recipient),
            "frequency": frequency,
            "items": [{"headline": text(n), "link": absolute(n.url)} for n in shown],
            "total": len(notifications),
            "more": max(0, len(notifications) - len(shown)),
            "digest_off_url": digest_off_url,
        }
        return _message(
            recipient=recipient, template="digest", context=context, one_click_url=digest_off_url
        )


def content_digest_sections(digest: ContentDigest) -> list[dict]:
    """The digest's non-empty sections with their headings and absolute links, in the active
    language (the e-mail and the preview page show the same)."""
    headings = {
        "people": _("New from the people you follow"),
        "communities": _("New threads in your communities"),
        "leaders": _("Leaders' posts you have not read"),
    }
    return [
        {
            "name": name,
            "heading": headings[name],
            "items": [
                {
                    "title": item.title,
                    "link": absolute(item.url),
                    "author": item.author,
                    "place": item.place,
                    "excerpt": item.excerpt,
                    "date": formats.date_format(item.date, "SHORT_DATE_FORMAT"),
                }
                for item in items
            ],
        }
        for name, items in digest.sections.items()
        if items
    ]


def content_digest_context(recipient: User, digest: ContentDigest) -> dict:
    """What the content digest templates read; call inside the recipient's language."""
    return {
        **_common(recipient),
        "sections": content_digest_sections(digest),
        "total": digest.total,
        "home_url": absolute("/"),
        "content_digest_off_url": unsubscribe_url(user_id=recipient.pk, scope=Scope.CONTENT_DIGEST),
    }


def content_digest_email(recipient: User, digest: ContentDigest) -> EmailMultiAlternatives:
    """The weekly e-mail of what is new from the people and communities the person follows,
    and the leaders' posts they have not read. Its one-click link stops this digest only."""
    with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
        context = content_digest_context(recipient, digest)
        return _message(
            recipient=recipient,
            template="content_digest",
            context=context,
            one_click_url=context["content_digest_off_url"],
        )
