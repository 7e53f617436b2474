"""Background jobs about people. Tasks take ids, and are safe to run twice."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from people.models import User

# Re-deliveries (acks_late, a worker killed mid-task) come within minutes; a week is ample.
WELCOMED_TTL = 7 * 24 * 60 * 60


def _welcomed_key(user_id: int) -> str:
    return f"welcome-email-sent:{user_id}"


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_welcome_email(self: Task[Any, Any], user_id: int) -> bool:
    """Welcome a new employee in their own language, with a link to complete their profile."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    # A re-delivered task finds the mark and sends nothing. Marked after the send: a worker
    # lost between the two sends twice (at least once), never zero times.
    if cache.get(_welcomed_key(user_id)):
        return False
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "profile_url": settings.SITE_URL + reverse("people:profile_edit_own"),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("people/email/welcome_subject.txt", context).strip()
        body = render_to_string("people/email/welcome.txt", context)
    send_mail(subject, body, None, [user.email])
    cache.set(_welcomed_key(user_id), 1, timeout=WELCOMED_TTL)
    return True


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_password_reset_email(self: Task[Any, Any], user_id: int) -> bool:
    """Send a password-reset link in the person's own language. Sent from a task so that the
    reset page answers as fast for an unknown e-mail as for a known one (no enumeration by
    timing). A deactivated account, or one without a local password, gets nothing."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "reset_url": settings.SITE_URL + path,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("people/email/password_reset_subject.txt", context).strip()
        body = render_to_string("people/email/password_reset.txt", context)
    send_mail(subject, body, None, [user.email])
    return True
