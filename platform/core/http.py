"""Small request helpers every app's views share: where to go next, and whether the caller is
a script that wants JSON."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# The largest value a database id holds (PostgreSQL bigint).
MAX_ID = 2**63 - 1


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


def parse_id(value: object) -> int | None:
    """`value` as a database id (a positive integer that fits a bigint), else None: "abc",
    "", "1.5", "-3", "99999999999999999999" and a list all name no row."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def id_or_404(value: object) -> int:
    """`parse_id`, answering 404 (the object named does not exist) when it is not an id."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def int_or_400(
    value: object, *, default: int | None = None, low: int = 0, high: int = MAX_ID
) -> int:
    """A number parameter (a count, a page size): `default` when absent, 400 when it is not a
    whole number between `low` and `high`."""
    if value in (None, "") and default is not None:
        return default
    text = value.strip() if isinstance(value, str) else ""
    if not text.lstrip("-").isascii() or not text.lstrip("-").isdigit() or len(text) > 20:
        raise BadRequest("not a whole number")
    number = int(text)
    if not low <= number <= high:
        raise BadRequest("number out of range")
    return number


def ids_or_404(view: Callable, names: tuple[str, ...] = ("pk", "object_id")) -> Callable:
    """Wrap a third-party view whose URL takes an object id as text (Wagtail's choosers and
    editing sessions: `<str:pk>`): a value that is not an id is a 404 before the view runs,
    where the view's own lookup would crash with a ValueError. Sound because every model
    those views serve in Ruche (pages, images, documents, users) has an integer id."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        for name in names:
            if isinstance(kwargs.get(name), str):  # an `int` converter has checked it already
                id_or_404(unquote(kwargs[name]))
        return view(request, *args, **kwargs)

    return wrapped
