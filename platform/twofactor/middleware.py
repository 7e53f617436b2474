"""The two-factor gate: a password sign-in whose person has an authenticator reaches nothing
but the code page until a code is given; an administrator without one reaches nothing but the
set-up page. The same gate stands before the intranet, the Wagtail admin and the Django admin,
which share the one login page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from twofactor import permissions, selectors

# A single sign-on session is the provider's: its own second factor applies (README).
PROVIDER_BACKENDS = {"people.oidc.OidcBackend"}


class TwoFactorMiddleware:
    """After AuthenticationMiddleware, OTPMiddleware and LoginRequiredMiddleware. Views marked
    `login_not_required` or `people.auth.two_factor_exempt` pass. Costs no query on a page of
    an employee without 2FA once their answer is cached (selectors.has_two_factor)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True) or getattr(
            view_func, "two_factor_exempt", False
        ):
            return None
        target = step_still_due(user, request.session)
        if target is None:
            return None
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def step_still_due(user: Any, session: Any) -> str | None:
    """The step a signed-in person whose session has given no code must take before reaching
    anything (the URL name of the code or set-up page), or None. One rule for pages
    (`TwoFactorMiddleware`) and websockets (`twofactor.websocket`)."""
    if session.get(BACKEND_SESSION_KEY) in PROVIDER_BACKENDS:
        return None
    if selectors.has_two_factor(user):
        return "twofactor:verify"
    if permissions.two_factor_required(user):
        return "twofactor:setup"
    return None
