"""Live replies rendered for each reader with the thread page's own template.

A reply that arrives over the websocket must look exactly as after a reload: reactions,
Reply, "Accept answer", Edit and Delete for its author, the hidden notice, in the reader's
language and with the reader's permissions. The broadcast (communities.live) carries ids
only; each thread socket renders `communities/includes/reply_live.html` (which includes
interactions' `comment.html`, as the page does) for its own person, through the same
selectors as the page (`selectors.thread_context`). A reply the reader may not see is sent
as "gone", without its text.

A new reply heard by hundreds of readers at once (`replies_for_readers`, one call per web
process and broadcast) is not rendered hundreds of times: readers whose page would show it
identically share one rendering, and only the CSRF token is put back per reader. Identical
means the same inputs to every permission rule and to the template: the same language, the
same account flags (active, superuser, staff), the same membership (state and role) in the
community, and neither the reply's nor the thread's author (their own buttons). A reader with
text kept in their session (a refused form) is rendered alone. A reader's own reaction is the
only per-person state left, and nobody has reacted to a reply that is just being announced:
sharing is for `reply.created` only; a changed reply is rendered for each reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import render_to_string
from django.utils import translation

from communities import permissions, replies, selectors
from interactions.selectors import DRAFTS_SESSION_KEY
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
    return _render(user, thread, ids, request, get_token(request))


def _render(
    user: User, thread: Any, ids: list[int], request: HttpRequest, csrf_token: str
) -> list[dict[str, Any]]:
    with translation.override(_reader_language(user, request)):
        context = selectors.thread_context(thread=thread, user=user, request=request, only_ids=ids)
        context.update(csrf_token=csrf_token, request=request, user=user)
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


Reader = tuple[User, Mapping[str, Any]]
# Not a possible CSRF token (those are letters and digits only).
TOKEN_STAND_IN = "__ruche-csrf-token__"  # noqa: S105 (a placeholder, not a secret)


def _perspective(
    user: User, membership: Any, language: str, reply_author: int | None, thread_author: int
) -> tuple[Any, ...]:
    return (
        language,
        user.is_active,
        user.is_superuser,
        user.is_staff,
        None if membership is None else (membership.state, membership.role),
        user.pk == reply_author,
        user.pk == thread_author,
    )


def _token(request: HttpRequest, scope: Any) -> str:
    """The reader's CSRF token for the forms of a live reply, masked once per socket: the
    socket's cookies never change, so neither does the secret the token carries (masking
    draws 32 random characters from the system's generator, once per reader and reply
    before)."""
    token = scope.get(SOCKET_TOKEN_KEY)
    if token is None:
        token = scope[SOCKET_TOKEN_KEY] = get_token(request)
    return str(token)


SOCKET_TOKEN_KEY = "ruche.live_csrf_token"  # noqa: S105 - a scope key, not a secret


def new_reply_for_readers(
    *, readers: Sequence[Reader], thread_id: int, reply_id: int
) -> list[dict[str, Any] | None]:
    """A just-created reply for each reader (user, websocket scope), in order: as
    `replies_for_reader` would render it for them, or None for a reader who may no longer read
    the thread. Two queries for everyone (the thread, the readers' memberships), then one
    rendering per distinct perspective (see the module's docstring)."""
    thread = selectors.live_thread(thread_id)
    if thread is None:
        return [None] * len(readers)
    community = thread.community
    memberships = permissions.memberships_of(community, {user.pk for user, _ in readers})
    reply_author = replies.author_id_of(thread, reply_id)
    path = thread.get_absolute_url()
    shared: dict[tuple[Any, ...], dict[str, Any]] = {}
    found: list[dict[str, Any] | None] = []
    for user, scope in readers:
        membership = memberships.get(user.pk)
        if not permissions.can_view_thread(user, thread, membership):
            found.append(None)
            continue
        request = _reader_request(user, path, scope)
        session = scope.get("session")
        if session is not None and session.get(DRAFTS_SESSION_KEY):
            alone = replies_for_reader(
                user=user, thread_id=thread_id, reply_ids=[reply_id], scope=scope
            )
            found.append(alone[0] if alone else None)
            continue
        key = _perspective(
            user, membership, _reader_language(user, request), reply_author, thread.author_id
        )
        if key not in shared:
            # Rendered with a stand-in token, replaced by each reader's own below.
            shared[key] = _render(user, thread, [reply_id], request, TOKEN_STAND_IN)[0]
        first = shared[key]
        if "html" in first:
            first = {**first, "html": first["html"].replace(TOKEN_STAND_IN, _token(request, scope))}
        found.append(first)
    return found
