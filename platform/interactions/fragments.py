"""Rendered comments, kept in the cache under a key made of everything they show.

Rendering `interactions/includes/comment.html` is most of a long conversation's page time (a
post with 30 comments: about two thirds of the request). Yet most readers see a comment
exactly as the previous reader did. So each top-level comment, its replies included, is
rendered once per *state*: the key is a digest of every value the template reads (the
comment's and its replies' own fields, their authors' and departments' fields, who hid them,
the reader's rights on each and their own reactions, the counts, the page address, the
language and time zone, the templates' and catalogues' own digest). Nothing needs to be
invalidated: an edit, a reaction, a renamed author or a deactivated account changes the key,
and the next reader renders the new state. Two readers share a fragment only when it would
be the same for both; the reader's own CSRF token is put back into every form afterwards.

Comments with text kept from a refused form (drafts) are rendered for their reader alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from core import rendering
from core.rendering import CSRF_PLACEHOLDER
from interactions.models import Comment

TEMPLATE = "interactions/includes/comment.html"
# What comment.html includes: their sources are part of every key.
TEMPLATES = (
    TEMPLATE,
    "interactions/includes/comment_form.html",
    "core/includes/avatar.html",
    "people/includes/former_employee.html",
    "governance/includes/report_link.html",
)
# The context names comment.html reads besides `comment` and `csrf_token`.
PAGE_NAMES = ("target_key", "next_url", "reason_max_length", "is_discussion")
FRAGMENT_SECONDS = 24 * 60 * 60
# Never part of a key (it changes nothing on the page, and has no business in a digest).
SKIPPED_FIELDS = frozenset({"password"})


def _fields(instance: models.Model | None) -> tuple[Any, ...] | None:
    if instance is None:
        return None
    values = []
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        value = getattr(instance, field.attname)
        values.append(value.name if isinstance(value, FieldFile) else value)
    return tuple(values)


def _state(comment: Comment) -> tuple[Any, ...]:
    """Everything comment.html shows of one comment for this reader (replies aside)."""
    author = comment.author
    return (
        _fields(comment),
        _fields(author),
        _fields(author.department if author.department_id else None),
        _fields(comment.hidden_by if comment.hidden_by_id else None),
        comment.show_body,
        comment.show_hidden_reason,
        comment.can_reply,
        comment.can_edit,
        comment.can_delete,
        comment.can_moderate,
        comment.can_react,
        sorted(comment.reactions.counts.items()),
        sorted(comment.reactions.mine),
        comment.reaction_url,
        comment.author_url,
    )


def fragment_key(comment: Comment, page: dict[str, Any]) -> str:
    # A comment read through a versioned conversation (interactions.conversations) carries
    # that conversation's key: its version, its reader and their rights say all that _state
    # would, without reading every field again.
    conversation_key = getattr(comment, "conversation_key", None)
    state = (
        (conversation_key, comment.pk)
        if conversation_key
        else [_state(item) for item in [comment, *comment.thread_replies]]
    )
    return rendering.fragment_key(TEMPLATES, (sorted(page.items()), state))


def _page(context: dict[str, Any] | Any) -> dict[str, Any]:
    """The page's values that comment.html reads, as they enter the key."""
    page = {name: context.get(name) for name in PAGE_NAMES}
    page["target"] = (page["target_key"], getattr(context.get("target"), "pk", None))
    return page


def _has_drafts(comment: Comment) -> bool:
    return any(
        getattr(item, name, None)
        for item in [comment, *comment.thread_replies]
        for name in ("edit_draft", "hide_draft", "reply_draft")
    )


def rendered_comments(
    comments: Sequence[Comment], context: dict[str, Any] | Any
) -> list[tuple[Comment, SafeString]]:
    """Each top-level comment of a conversation with its HTML (replies included), as
    `{% include "interactions/includes/comment.html" %}` renders it in `context` (the
    conversation's template context, see `interactions.selectors.comment_thread_context`)."""
    template = get_template(TEMPLATE)
    page = _page(context)
    token = context.get("csrf_token")
    token = str(token) if token else ""
    # Django's "NOTPROVIDED" (no CSRF middleware) renders no token field at all.
    shareable = bool(token) and token != "NOTPROVIDED"  # noqa: S105 - a marker, not a secret

    def render(comment: Comment, csrf_token: str) -> str:
        values = {**page, "target": context.get("target"), "comment": comment}
        return template.render({**values, "csrf_token": csrf_token})

    keys = {
        comment.pk: fragment_key(comment, page)
        for comment in comments
        if shareable and not _has_drafts(comment)
    }
    found: dict[str, str] = cache.get_many(keys.values()) if keys else {}
    new: dict[str, str] = {}
    result = []
    for comment in comments:
        key = keys.get(comment.pk)
        if key is None:
            html = render(comment, token)
        else:
            html = found.get(key) or new.get(key) or render(comment, CSRF_PLACEHOLDER)
            if key not in found:
                new[key] = html
            html = html.replace(CSRF_PLACEHOLDER, token)
        result.append((comment, mark_safe(html)))  # noqa: S308 - rendered by the template
    if new:
        cache.set_many(new, FRAGMENT_SECONDS)
    return result
