"""Rendered HTML kept in the cache: what it was made from (templates and catalogues), its key,
and the reader's CSRF token put back into it; fragments of a page (`reader_fragment`) and
whole pages (`reader_page`)."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


@functools.cache
def code_digest(*template_names: str) -> str:
    """A digest of these templates' sources and of every translation catalogue. Put in the
    key of rendered HTML kept in the cache, it makes a deployment that changes either use new
    keys, so no fragment of the previous version is served."""
    digest = hashlib.blake2b(digest_size=16)
    for name in template_names:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    folders = [Path(config.path) / "locale" for config in apps.get_app_configs()]
    folders += [Path(folder) for folder in settings.LOCALE_PATHS]
    for catalogue in sorted(p for folder in folders for p in folder.glob("*/LC_MESSAGES/*.mo")):
        digest.update(str(catalogue).encode())
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()


# --- HTML kept under a key that names all it shows -------------------------------------------

# Rendered in the reader's place; a real token is 32 or 64 letters and digits.
CSRF_PLACEHOLDER = "ruche-csrf-token-placeholder"
FRAGMENT_PREFIX = "fragment"


def fragment_key(templates: tuple[str, ...], state: Any) -> str:
    """Where HTML rendered from `templates` is kept: a digest of the templates and catalogues,
    the language, the time zone and `state`, every value the HTML shows besides those."""
    digest = hashlib.blake2b(digest_size=20)
    parts = (code_digest(*templates), get_language(), timezone.get_current_timezone_name(), state)
    digest.update(repr(parts).encode())
    return f"{FRAGMENT_PREFIX}:{digest.hexdigest()}"


def cached_fragment(
    key: str,
    render: Callable[[str], str],
    *,
    csrf_token: str,
    seconds: int,
    fill: dict[str, str] | None = None,
) -> SafeString:
    """The HTML kept under `key`, else `render(token)`'s, kept for `seconds`. It is rendered
    with a placeholder for the CSRF token, then the reader's own `csrf_token` is put in, and
    each placeholder of `fill` (rendered by `render` itself) replaced by its value: what must
    be new on every page (a form's one-time key) is never kept."""
    html = cache.get(key)
    if html is None:
        html = render(CSRF_PLACEHOLDER)
        cache.set(key, html, seconds)
    keeping = _keeping.get()
    if fill and keeping is not None:  # a value new on every page: this page is never kept
        keeping["keepable"] = False
    html = html.replace(CSRF_PLACEHOLDER, csrf_token)
    for placeholder, value in (fill or {}).items():
        html = html.replace(placeholder, value)
    return mark_safe(html)  # noqa: S308 - rendered by a template


def reader_fragment(
    request: Any,
    templates: tuple[str, ...],
    state: tuple[Any, ...],
    context: Callable[[], dict[str, Any]],
    *,
    seconds: int,
) -> SafeString:
    """`templates[0]` rendered in `context()` for the request's reader, kept under `state`
    (every value it shows besides the reader, their account's flags and the page's address,
    which are added here)."""

    def render(token: str) -> str:
        return render_to_string(templates[0], {**context(), "csrf_token": token}, request=request)

    user = request.user
    state = (*state, user.pk, user.is_superuser, request.get_full_path())
    key = fragment_key(templates, state)
    return cached_fragment(key, render, csrf_token=page_token(request), seconds=seconds)


def page_token(request: Any) -> str:
    """The CSRF token written into this request's HTML: the placeholder while a whole page is
    rendered to be kept (`reader_page`), else the reader's own token, masked once."""
    if _keeping.get() is not None:
        return CSRF_PLACEHOLDER
    token = getattr(request, "_ruche_csrf_token", None)
    if token is None:
        token = request._ruche_csrf_token = get_token(request)
    return token


# --- Whole pages -------------------------------------------------------------------------------

# Set while `reader_page` renders a page to keep: whether it still may be kept.
_keeping: ContextVar[dict[str, bool] | None] = ContextVar("ruche_keeping_page", default=None)
# The layout of every page: base.html and what it includes.
BASE_TEMPLATES = (
    "base.html",
    "core/includes/site_menu.html",
    "core/includes/search_box.html",
    "notifications/includes/header_link.html",
)
_TOKEN_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@functools.cache
def _layout_state() -> Callable[[HttpRequest], tuple[Any, ...]]:
    # The layout around every page (the header's menu) is the top layer's: named in settings.
    return import_string(settings.RUCHE_LAYOUT_STATE)


def reader_page(
    request: Any,
    templates: tuple[str, ...],
    state: tuple[Any, ...],
    render: Callable[[], HttpResponse],
    *,
    seconds: int,
) -> HttpResponse:
    """The page `render()` answers for the request's reader, kept whole under `state` (every
    value the page shows besides its layout, the reader, their account's flags, the page's
    address, the language, the time zone and `templates`, which are added here): a reader
    coming back gets it in one cache read, without rendering anything. The caller has
    already decided that the reader may see the page.

    Never kept: a page that shows messages (each is shown once), one whose render answered
    other than 200, one with a value new on every page (a fragment's `fill`, a form's
    one-time key) and one with a form token that is not the placeholder (a form rendered
    outside the fragments and context that know it): that page is answered as rendered."""
    if request.method != "GET" or len(get_messages(request)):
        return render()
    user = request.user
    layout = _layout_state()(request)
    key = fragment_key(
        (*BASE_TEMPLATES, *templates),
        ("page", layout, *state, user.pk, user.is_superuser, request.get_full_path()),
    )
    html = cache.get(key)
    if html is not None:
        return HttpResponse(html.replace(CSRF_PLACEHOLDER, page_token(request)))
    keeping = {"keepable": True}
    token = _keeping.set(keeping)
    try:
        response = render()
        if hasattr(response, "render"):
            response.render()
    finally:
        _keeping.reset(token)
    html = response.content.decode()
    tokens = set(_TOKEN_VALUE.findall(html))
    if response.status_code == 200 and keeping["keepable"] and tokens <= {CSRF_PLACEHOLDER}:
        cache.set(key, html, seconds)
    response.content = html.replace(CSRF_PLACEHOLDER, page_token(request)).encode()
    return response
