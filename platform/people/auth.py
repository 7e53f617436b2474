"""Sign-in protection: who is asking (the client's address) and the answer to a lockout.

django-axes counts the failures and decides the lockout (settings, "Sign-in protection");
this module gives it the client's address, behind the proxies the operators declared, and
the page a locked-out person sees. Password-reset throttling uses the same address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


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
