"""Live replies rendered for each reader with the thread page's own template.

A reply that arrives over the websocket must look exactly as after a reload: reactions,
Reply, "Accept answer", Edit and Delete for its author, the hidden notice, in the reader's
language and with the reader's permissions. The broadcast (communities.live) carries ids
only; each thread socket renders `communities/includes/reply_live.html` (which includes
interactions' `comment.html`, as the page does) for its own person, through the same
selectors as the page (`selectors.thread_context`). A reply the reader may not see is sent
as "gone", without its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.utils import translation

from communities import permissions, selectors
from people.models import User

TEMPLATE = "communities/includes/reply_live.html"


def _reader_request(user: User, path: str, scope: Mapping[str, Any]) -> HttpRequest:
    """A GET of the thread page as this reader's browser would send it: their session and
    CSRF cookie, so that the forms in the rendered reply post like the page's own."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.user = user
    request.COOKIES = dict(scope.get("cookies") or {})
    session = scope.get("session")
    if session is not None:
        request.session = session
    CsrfViewMiddleware(HttpResponse).process_request(request)  # reads the CSRF cookie
    return request


def _reader_language(user: User, request: HttpRequest) -> str:
    """The page's language: the profile's choice, else the language cookie, else the site's
    (people.middleware and Django's LocaleMiddleware choose the same way)."""
    wanted = user.preferred_language or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    try:
        return translation.get_supported_language_variant(wanted or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def replies_for_reader(
    *, user: User, thread_id: int, reply_ids: Iterable[int], scope: Mapping[str, Any]
) -> list[dict[str, Any]] | None:
    """[{"id", "parent", "html"}] (or {"id", "gone": True}) for each reply, rendered for
    `user`; None when they may no longer read the thread."""
    thread = permissions.thread_for_socket(user, thread_id)
    if thread is None:
        return None
    ids = sorted(set(reply_ids))
    if not ids:
        return []
    request = _reader_request(user, thread.get_absolute_url(), scope)
    with translation.override(_reader_language(user, request)):
        context = selectors.thread_context(thread=thread, user=user, request=request, only_ids=ids)
        context.update(csrf_token=get_token(request), request=request, user=user)
        found = {item.pk: item for item in context["conversation"].comments}
        rendered: list[dict[str, Any]] = []
        for pk in ids:
            item = found.get(pk)
            if item is None:
                rendered.append({"id": pk, "gone": True})
                continue
            html = render_to_string(TEMPLATE, {**context, "comment": item})
            rendered.append({"id": pk, "parent": item.parent_id, "html": html})
    return rendered
