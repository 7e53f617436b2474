"""`{% load interactions %}`: comments and reactions on any registered target in one line.

    {% comments post %}         the whole conversation: comments, replies, forms, reactions
    {% reactions post %}        reaction buttons with counts for one target
    {% comment_form post %}     only the "add a comment" form

In lists, call `interactions.selectors.reaction_summary(targets=..., viewer=...)` in the view
first, so that `{% reactions %}` on each row costs no query.
"""

from __future__ import annotations

from typing import Any

from django import template

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
