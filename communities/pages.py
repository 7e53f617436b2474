"""The bodies of the community page and of the thread page, rendered once per state.

Most readers of a thread or a community see exactly what they saw on their previous visit.
Each body is kept in the cache under a key naming everything it shows: the versions its rows
were read under (the thread's, the community's and the people generation,
`communities.versions`), for a thread the conversation's version
(`interactions.conversations`), the reader (their own reactions, the hidden threads they
wrote, the report links), every right decided for them on this request, the live viewer
count and message number, the page's address, and the templates, catalogues, language and
time zone (`core.rendering.fragment_key`). Nothing is invalidated: a change makes a new key.
The reader's CSRF token is put back into the forms. Text kept from a refused reply (a draft)
is rendered for its reader alone, never kept.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from communities import permissions, selectors, versions
from communities.forms import ThreadForm, ThreadHideForm
from communities.models import Community, Thread, ThreadKind
from core.rendering import reader_fragment
from interactions import conversations, fragments
from interactions.selectors import DRAFTS_SESSION_KEY, conversation_rights
from people.models import User

THREAD_TEMPLATE = "communities/includes/thread_body.html"
COMMUNITY_TEMPLATE = "communities/includes/community_body.html"
# What each body includes, directly or through its tags: part of every key.
THREAD_TEMPLATES = (
    THREAD_TEMPLATE,
    "communities/includes/replies.html",
    "communities/includes/accept_form.html",
    "interactions/includes/reactions.html",
    "core/includes/field.html",
    "core/includes/people_picker_script.html",
    *fragments.TEMPLATES,
)
COMMUNITY_TEMPLATES = (
    COMMUNITY_TEMPLATE,
    "communities/includes/community_header.html",
    "communities/includes/thread_row.html",
    "core/includes/pagination.html",
    "core/includes/form_errors.html",
    "core/includes/field.html",
)
# The whole thread page (communities.views.thread, core.rendering.reader_page).
THREAD_PAGE_TEMPLATES = (
    "communities/thread.html",
    "communities/includes/live_labels.html",
    *THREAD_TEMPLATES,
)
COMMUNITY_PAGE_TEMPLATES = (
    "communities/community.html",
    "communities/includes/live_labels.html",
    "core/includes/people_picker_script.html",
    *COMMUNITY_TEMPLATES,
)
BODY_SECONDS = 60 * 60


# --- The thread page ---------------------------------------------------------------------------


def _thread_rights(user: User, thread: Thread) -> tuple[object, ...]:
    """Every decision the body shows for this reader (their membership is on the community)."""
    reply_refusal = permissions.reply_refusal_reason(user, thread)
    return (
        permissions.can_edit_thread(user, thread),
        permissions.can_delete_thread(user, thread),
        permissions.can_moderate_thread(user, thread),
        permissions.can_accept_answer(user, thread),
        str(reply_refusal) if reply_refusal is not None else None,
        conversation_rights(thread, user),
    )


def thread_state(
    request: HttpRequest, thread: Thread, *, live_seq: int, viewers: int
) -> tuple[object, ...]:
    """Everything the thread's body shows besides the reader and the page's address."""
    user: User = request.user  # type: ignore[assignment]
    return (
        versions.thread_stamp(thread),
        conversations.versions(thread),
        _thread_rights(user, thread),
        viewers,
        live_seq,
    )


def thread_body(request: HttpRequest, thread: Thread, *, live_seq: int, viewers: int) -> SafeString:
    """The body of the thread page for this reader (`thread` from `access_thread(cached=True)`)."""
    user: User = request.user  # type: ignore[assignment]

    def context() -> dict[str, Any]:
        values = selectors.thread_context(thread=thread, user=user, request=request)
        values.update(viewers=viewers, live_seq=live_seq)
        if values["can_moderate"] and not thread.is_hidden:
            values["hide_form"] = ThreadHideForm()
        return values

    if request.session.get(DRAFTS_SESSION_KEY):  # text typed into a refused form comes back
        html = render_to_string(THREAD_TEMPLATE, context(), request=request)
        return mark_safe(html)  # noqa: S308 - rendered by the template
    state = thread_state(request, thread, live_seq=live_seq, viewers=viewers)
    return reader_fragment(request, THREAD_TEMPLATES, state, context, seconds=BODY_SECONDS)


# --- The community page ------------------------------------------------------------------------


def community_state(
    request: HttpRequest, community: Community, *, live_seq: int, viewers: int
) -> tuple[object, ...]:
    """Everything the community's body shows besides the reader and the page's address."""
    user: User = request.user  # type: ignore[assignment]
    membership = permissions.membership_of(user, community)
    rights = (
        getattr(membership, "state", None),
        getattr(membership, "role", None),
        permissions.can_read_community(user, community),
        permissions.can_manage_community(user, community),
        permissions.can_start_thread(user, community, ThreadKind.DISCUSSION),
        permissions.can_start_thread(user, community, ThreadKind.ANNOUNCEMENT),
    )
    return (versions.community_stamp(community), rights, viewers, live_seq)


def community_body(
    request: HttpRequest, community: Community, *, live_seq: int, viewers: int
) -> SafeString:
    """The body of the community page for this reader (`community` from
    `access_community(cached=True)`): its header, its threads, what they may do there."""
    user: User = request.user  # type: ignore[assignment]

    def context() -> dict[str, Any]:
        values = selectors.community_context(user=user, community=community)
        if values["can_read"]:
            values.update(
                selectors.community_threads_context(
                    user=user, context=values, page=request.GET.get("page")
                ),
                viewers=viewers,
                live_seq=live_seq,
            )
            if values["can_start"]:
                values["thread_form"] = ThreadForm(can_announce=values["can_announce"])
        managers = selectors.community_managers(community).select_related("department")
        values.update(managers=managers, departments=community.departments.all())
        return values

    state = community_state(request, community, live_seq=live_seq, viewers=viewers)
    return reader_fragment(request, COMMUNITY_TEMPLATES, state, context, seconds=BODY_SECONDS)
