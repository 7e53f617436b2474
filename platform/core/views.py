from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from core.health import run_checks
from core.http import safe_next
from core.media import media_response


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, cache, channel layer and broker all answer; 503 otherwise."""
    checks = run_checks()
    failed = [name for name, result in checks.items() if not result["ok"]]
    return JsonResponse(
        {"status": "error" if failed else "ok", "failed": failed, "checks": checks},
        status=503 if failed else 200,
    )


@login_not_required
def login_redirect(request: HttpRequest) -> HttpResponse:
    """Send other login pages (the Django admin's) to the intranet's login page.

    A signed-in employee who is not staff is sent here by the Django admin: the login page
    would send them straight back (they are signed in), for ever. They get a 403 instead."""
    if request.user.is_authenticated:
        if not request.user.is_staff:
            raise PermissionDenied
        return redirect(safe_next(request, reverse("admin:index")))
    return redirect_to_login(safe_next(request))


def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded file, for those who may see what it belongs to (core.media); 404 otherwise."""
    return media_response(request.user, path)


def administrators_only(view):
    """Wrap a third-party view that must exist only for administrators (404 for others)."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not (request.user.is_authenticated and request.user.is_superuser):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
