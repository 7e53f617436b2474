"""Rendered HTML kept in the cache: what it was made from (templates and catalogues), its key,
and the reader's CSRF token put back into it."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils import timezone
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
    return cached_fragment(key, render, csrf_token=get_token(request), seconds=seconds)
