"""The thread page's body (the thread, its replies, the forms), rendered once per state.

Most readers of a thread see exactly what its previous reader with the same rights saw. The
body is kept in the cache under a key naming everything it shows: the versions its rows were
read under (the thread's, its community's and the people generation, `communities.versions`),
the conversation's version (`interactions.conversations`), the reader (their own reactions,
the report links), every right decided for them on this request, the live viewer count and
message number, the page's address, and the templates, catalogues, language and time zone
(`core.rendering.fragment_key`). Nothing is invalidated: a change makes a new key. The
reader's CSRF token is put back into the forms. Text kept from a refused form (a draft) is
rendered for its reader alone, never kept.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from communities import permissions, selectors, versions
from communities.forms import ThreadHideForm
from communities.models import Thread
from core.rendering import cached_fragment, fragment_key
from interactions import conversations, fragments
from interactions.selectors import DRAFTS_SESSION_KEY, conversation_rights
from people.models import User

TEMPLATE = "communities/includes/thread_body.html"
# What thread_body.html includes, directly or through its tags: part of every key.
TEMPLATES = (
    TEMPLATE,
    "communities/includes/replies.html",
    "communities/includes/accept_form.html",
    "interactions/includes/reactions.html",
    "core/includes/field.html",
    "core/includes/people_picker_script.html",
    *fragments.TEMPLATES,
)
BODY_SECONDS = 60 * 60


def _rights(user: User, thread: Thread) -> tuple[object, ...]:
    """Every decision the body shows for this reader (their membership is on the community)."""
    reply_refusal = permissions.reply_refusal_reason(user, thread)
    return (
        permissions.can_edit_thread(user, thread),
        permissions.can_delete_thread(user, thread),
        permissions.can_moderate_thread(user, thread),
        permissions.can_accept_answer(user, thread),
        str(reply_refusal) if reply_refusal is not None else None,
        conversation_rights(thread, user),
        user.is_superuser,
    )


def _render(
    request: HttpRequest, thread: Thread, *, live_seq: int, viewers: int, csrf_token: str
) -> str:
    user: User = request.user  # type: ignore[assignment]
    context = selectors.thread_context(thread=thread, user=user, request=request)
    context.update(viewers=viewers, live_seq=live_seq, csrf_token=csrf_token)
    if context["can_moderate"] and not thread.is_hidden:
        context["hide_form"] = ThreadHideForm()
    return render_to_string(TEMPLATE, context, request=request)


def thread_body(request: HttpRequest, thread: Thread, *, live_seq: int, viewers: int) -> SafeString:
    """The body of the thread page for this reader (`thread` from `access_thread(cached=True)`)."""
    token = get_token(request)
    if request.session.get(DRAFTS_SESSION_KEY):  # text typed into a refused form comes back
        html = _render(request, thread, live_seq=live_seq, viewers=viewers, csrf_token=token)
        return mark_safe(html)  # noqa: S308 - rendered by the template
    user: User = request.user  # type: ignore[assignment]
    state = (
        versions.thread_stamp(thread),
        conversations.versions(thread),
        user.pk,
        _rights(user, thread),
        viewers,
        live_seq,
        request.get_full_path(),
    )
    return cached_fragment(
        fragment_key(TEMPLATES, state),
        lambda placeholder: _render(
            request, thread, live_seq=live_seq, viewers=viewers, csrf_token=placeholder
        ),
        csrf_token=token,
        seconds=BODY_SECONDS,
    )
