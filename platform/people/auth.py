"""Sign-in protection: who is asking (the client's address) and the answer to a lockout.

django-axes counts the failures and decides the lockout (settings, "Sign-in protection");
this module gives it the client's address, behind the proxies the operators declared, and
the page a locked-out person sees. Password-reset throttling uses the same address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from people.models import User


def client_ip(request: HttpRequest) -> str:
    """The client's address. X-Forwarded-For is trusted only as far as the operators said
    proxies sit in front of Ruche: its other entries are whatever the client chose to send,
    and trusting them would let anyone pick a fresh address for every guess."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.RUCHE_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    # Each proxy appends the address it was reached from: the client is `count` from the end.
    return forwarded[-count] if len(forwarded) >= count else remote


def password_allowed(username: str | None) -> bool:
    """May this username sign in with a local password? Always, unless RUCHE_PASSWORD_LOGIN is
    off (single sign-on only): then only the break-glass administrators may."""
    if settings.RUCHE_PASSWORD_LOGIN:
        return True
    return bool(
        username
        and username in settings.RUCHE_BREAK_GLASS_USERS
        and User.objects.filter(username=username, is_superuser=True, is_active=True).exists()
    )


class PasswordPolicyBackend:
    """Before ModelBackend: a password sign-in that `password_allowed` refuses stops here
    (PermissionDenied ends Django's authenticate), on every login form, Wagtail's included.
    The form answers as for a wrong password: which usernames may still use one is not told.
    No `get_user`: it signs nobody in, so no session is ever tied to it (and `force_login`
    skips it)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if password is not None and not password_allowed(username):
            raise PermissionDenied
        return None


def lockout_message() -> str:
    minutes = settings.RUCHE_LOGIN_COOLOFF_MINUTES
    return ngettext(
        "Too many failed attempts: try again in %(minutes)d minute or reset your password.",
        "Too many failed attempts: try again in %(minutes)d minutes or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out attempt: the login page again, with the lockout
    message, whether or not the username exists (the same page for both: no enumeration).
    Whichever login form was posted (Wagtail's admin one too), the intranet's page answers."""
    from people.forms_auth import LoginForm

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {"form": form, "lockout_message": lockout_message(), "next": request.POST.get("next", "")},
        status=429,
    )


def two_factor_exempt(view: Any) -> Any:
    """Mark a view that a signed-in session may reach before its second factor: logging out,
    changing the page's language. The two-factor gate (twofactor.middleware) reads the mark,
    the way LoginRequiredMiddleware reads `login_not_required`'s."""
    view.two_factor_exempt = True
    return view
