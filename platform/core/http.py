"""Small request helpers every app's views share: where to go next, and whether the caller is
a script that wants JSON."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_url(request: HttpRequest, url: str | None) -> bool:
    """Whether `url` points into this site (a path, or this host), so redirecting to it is not
    an open redirect. Relative junk such as "abc" is refused too: only paths from the root."""
    if not url or "\x00" in url:
        return False
    if not (url.startswith("/") or url.startswith(("http://", "https://"))):
        return False
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, default: str = "/", *, param: str = "next") -> str:
    """The `next` address of the request (POST first, then GET) if it is safe, else `default`."""
    for source in (request.POST, request.GET):
        url = source.get(param)
        if url and is_safe_url(request, url):
            return url
    return default


def wants_json(request: HttpRequest) -> bool:
    """Scripts (fetch with Accept: application/json) get JSON answers instead of redirects."""
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept
