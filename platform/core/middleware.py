"""The one input-cleaning layer: NUL and other control characters never reach a view.

PostgreSQL refuses a NUL byte in any text value ("A string literal cannot contain NUL (0x00)
characters"), so a `\\x00` in a comment, a reason, a username or a token was a 500 wherever the
value reached a query. Rather than guard every field, every form and every token lookup, this
middleware cleans what a request carries before any view (or the session, or Wagtail's
redirects) reads it: the path, the query string (`request.GET`), the cookies, the form body
(`request.POST`) and the path parameters the resolver extracted.

Why clean rather than refuse with 400: nobody types a NUL or a backspace character; they come
from a paste (a PDF, a terminal) or from an attacker. Refusing would throw away everything the
person typed around it, since a 400 page cannot give the form back; cleaning drops only those
invisible characters and keeps every other character as typed (tab, newline and carriage
return are kept: they are text). A token or an id that contained them is then simply unknown
(404), never a server error. Invalid UTF-8 in a query string or a form is already decoded by
Django with replacement characters, which PostgreSQL stores without complaint.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict

from core.http import MAX_ID, is_safe_url
from core.versions import versions_memo

# C0 controls except tab, newline and carriage return; and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """`value` without NUL and the other control characters (tab and newlines stay)."""
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def _dirty(query: QueryDict) -> bool:
    return any(
        _CONTROL.search(key) or any(_CONTROL.search(v) for v in values if isinstance(v, str))
        for key, values in query.lists()
    )


def clean_query(query: QueryDict) -> QueryDict:
    """A copy of `query` with every key and value cleaned; `query` itself when already clean."""
    if not _dirty(query):
        return query
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(
            clean_text(key), [clean_text(v) if isinstance(v, str) else v for v in values]
        )
    cleaned._mutable = False
    return cleaned


def without_unsafe_next(request: HttpRequest, query: QueryDict) -> QueryDict:
    """`query` without a `next` that `core.http.is_safe_url` refuses ("abc", another host,
    "javascript:..."): Wagtail's and Django's own views redirect to any relative `next`, and
    `redirect("abc")` is a NoReverseMatch (500). One rule for every endpoint, ours or not."""
    values = query.getlist("next")
    if not values or all(is_safe_url(request, value) for value in values):
        return query
    cleaned = query.copy()
    cleaned.setlist("next", [value for value in values if is_safe_url(request, value)])
    if not cleaned.getlist("next"):
        del cleaned["next"]
    cleaned._mutable = False
    return cleaned


class RequestVersionsMiddleware:
    """Each cached version read once per request (`core.versions.versions_memo`): a page
    asks the same ones for its route, its view restrictions, its fragments and its header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with versions_memo():
            return self.get_response(request)


class InputCleaningMiddleware:
    """Clean path, query string and cookies on the way in; the form body and path parameters
    just before the view. Placed first after SecurityMiddleware, so that the session, the CSRF
    check and Wagtail's redirects already read clean values."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.path = clean_text(request.path)
        request.path_info = clean_text(request.path_info)
        # The cleaned copies are immutable QueryDicts too (django-stubs types them apart).
        request.GET = without_unsafe_next(request, clean_query(request.GET))  # type: ignore[assignment]
        if any(_CONTROL.search(k) or _CONTROL.search(v) for k, v in request.COOKIES.items()):
            request.COOKIES = {clean_text(k): clean_text(v) for k, v in request.COOKIES.items()}
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if request.method == "POST":
            # Parsing here is what the CSRF check does next anyway.
            request.POST = without_unsafe_next(request, clean_query(request.POST))  # type: ignore[assignment]
        for name, value in list(view_kwargs.items()):
            if isinstance(value, str):
                view_kwargs[name] = clean_text(value)
            elif isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:  # names no row
                raise Http404
