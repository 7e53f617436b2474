"""Building the e-mails, in the recipient's language, each with its way out.

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
from django.utils import translation

from notifications.messages import text
from notifications.models import Notification
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
