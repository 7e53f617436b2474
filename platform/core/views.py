from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from core.health import run_checks
from core.http import safe_next
from core.media import media_response
from core.models import site_remember


def with_cached_site(view):
    """Wagtail's page views, given their site from the cache (`core.models.site_remember`)."""

    @functools.wraps(view)
    def serve(request: HttpRequest, *args, **kwargs):
        site_remember(request)
        return view(request, *args, **kwargs)

    return serve


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


@login_not_required
@require_safe
@vary_on_headers("Cookie", "Accept-Language")
@cache_control(max_age=3600)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest, so that a phone can add the intranet to its home screen. Public
    (browsers fetch it without credentials), in the reader's language."""
    manifest = {
        "name": gettext("Ruche, the internal platform"),
        "short_name": "Ruche",
        "description": gettext(
            "Ruche, the internal platform where everyone blogs and communities meet."
        ),
        "lang": get_language() or settings.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f6f2",
        "theme_color": "#1f2328",
        "icons": [
            {"src": static("core/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("core/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("core/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (Wagtail's admin, files)."""
    return redirect(static("core/icons/favicon.ico"), permanent=True)
