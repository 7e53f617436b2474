"""`{% load interactions %}`: comments and reactions on any registered target in one line.

    {% comments post %}         the whole conversation: comments, replies, forms, reactions
    {% reactions post %}        reaction buttons with counts for one target
    {% comment_form post %}     only the "add a comment" form
    {% rendered_comments conversation.comments as rendered %}
                                each comment with its HTML, shared between readers who
                                would see it alike (a page's own layout of the conversation)

In lists, call `interactions.selectors.reaction_summary(targets=..., viewer=...)` in the view
first, so that `{% reactions %}` on each row costs no query.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.html import link_html_mentions
from interactions import fragments
from interactions.models import REACTION_EMOJI, ReactionKind
from interactions.registry import key_for
from interactions.selectors import comment_thread_context, reactions_context

register = template.Library()


def _viewer_and_request(context: template.Context) -> tuple[Any, Any]:
    request = context.get("request")
    viewer = context.get("user") or getattr(request, "user", None)
    return viewer, request


def _assets_once(request: Any) -> bool:
    """True the first time a page asks: the stylesheet and script go in once per page, however
    many reaction bars a list shows."""
    if request is None:
        return True
    if getattr(request, "_interactions_assets", False):
        return False
    request._interactions_assets = True
    return True


@register.inclusion_tag("interactions/includes/comments.html", takes_context=True)
def comments(context: template.Context, target: Any) -> dict[str, Any]:
    viewer, request = _viewer_and_request(context)
    return {
        **comment_thread_context(target, viewer, request=request),
        "include_assets": _assets_once(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("interactions/includes/reactions.html", takes_context=True)
def reactions(context: template.Context, target: Any) -> dict[str, Any]:
    viewer, request = _viewer_and_request(context)
    return {
        **reactions_context(target, viewer, request=request),
        "include_assets": _assets_once(request),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def rendered_comments(context: template.Context, comments: Any) -> list[tuple[Any, SafeString]]:
    """`{% rendered_comments conversation.comments as rendered %}`: each top-level comment
    with its HTML, from the cache when another reader saw it in the same state
    (interactions.fragments)."""
    return fragments.rendered_comments(comments, context)


@register.inclusion_tag("interactions/includes/comment_form.html", takes_context=True)
def comment_form(context: template.Context, target: Any) -> dict[str, Any]:
    _viewer, request = _viewer_and_request(context)
    return {
        "target": target,
        "target_key": key_for(target),
        "next_url": request.get_full_path() if request is not None else target.get_absolute_url(),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


def _button_parts() -> list[tuple[str, str, str]]:
    """(kind, opening of the button up to its class, middle up to the count) for each kind,
    escaped once per language: the parts of a button that do not depend on the counts."""
    language = get_language() or ""
    parts = _BUTTON_PARTS.get(language)
    if parts is None:
        parts = []
        for kind, label in ReactionKind.choices:
            head = format_html(
                '<button type="submit" name="kind" value="{0}" data-kind="{0}" title="{1}"',
                kind,
                label,
            )
            middle = format_html(
                '><span aria-hidden="true">{0}</span> <span class="visually-hidden">{1}:</span> '
                '<span class="reaction-count" aria-live="polite" data-count>',
                REACTION_EMOJI[kind],
                label,
            )
            parts.append((kind, head, middle))
        _BUTTON_PARTS[language] = parts
    return parts


_BUTTON_PARTS: dict[str, list[tuple[str, str, str]]] = {}


@register.simple_tag
def reaction_buttons(summary: Any, can_react: bool) -> SafeString:
    """The buttons of a reaction bar: every kind when the viewer may react, else only the
    kinds someone gave (disabled). Assembled from pre-escaped parts (a long conversation shows
    hundreds of these bars); only the counts, integers, vary."""
    buttons = []
    for kind, head, middle in _button_parts():
        count = int(summary.counts.get(kind, 0))
        if not (can_react or count):
            continue
        mine = kind in summary.mine
        buttons.append(
            f'{head} class="reaction{" mine" if mine else ""}" '
            f'aria-pressed="{"true" if mine else "false"}"{"" if can_react else " disabled"}'
            f"{middle}{count}</span></button>"
        )
    return mark_safe("\n".join(buttons))  # noqa: S308 - escaped parts and integers only


@register.filter
def with_mentions(rich_text: Any, mentions: Any) -> SafeString:
    """Rendered rich text (a post paragraph) with its @mentions linked to the people
    `mentions` names (lower-cased username -> person, found once for the page by
    `interactions.mentions.mentioned_users`); without them, the rich text as it is."""
    html = rich_text.__html__() if hasattr(rich_text, "__html__") else str(rich_text)
    if not mentions:
        return mark_safe(html)  # noqa: S308 - rendered rich text, sanitised at write time
    return mark_safe(link_html_mentions(html, mentions))  # noqa: S308 - escaped links added
