"""Which objects may be commented on or reacted to through this app's URLs: a thin layer over
the registry of content kinds (`core.content`).

The URLs name a target by a kind key and an id (`/interactions/post/42/comments/`), never by
an arbitrary content type: only registered kinds are reachable, and the lookup always applies
the target's own visibility (404 when the viewer may not see it, exactly as when it does not
exist, so that private community content does not even reveal that it exists).

One alias keeps the URLs as they were before comments were split into two kinds: the URL key
"comment" reaches every `Comment`, whether its kind is "comment" (on a post) or "reply" (on a
thread), so that a reaction button never has to know which.

Nothing registers here: a content app registers its kinds with `core.content.register` (in
its `content.py`, from its `AppConfig.ready()`), and what it registers is reachable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404

from core import content
from interactions.content import comment_get
from interactions.models import Comment

if TYPE_CHECKING:
    from interactions.targets import InteractionTarget
    from people.models import User

# The URL key of every comment, whatever its kind (see the module docstring).
COMMENT_URL_KEY = "comment"


def key_for(target: Any) -> str:
    """The URL key of `target` (for URLs in templates); LookupError when it is not content."""
    if isinstance(target, Comment):
        return COMMENT_URL_KEY
    return content.kind_for(target).key


def is_registered(target: Any) -> bool:
    try:
        key_for(target)
    except LookupError:
        return False
    return True


def _load(key: str, pk: Any) -> models.Model | None:
    if key == COMMENT_URL_KEY:
        # Either comment kind, in one query (content.load would try "comment" then "reply").
        try:
            number = int(pk)
        except (TypeError, ValueError):
            return None
        return comment_get(number) if 0 < number < 2**63 else None
    found = content.load(key, pk)
    return found[1] if found is not None else None


def target_get(key: str, pk: Any, *, viewer: User) -> InteractionTarget:
    """The target `key`/`pk` if `viewer` may see it, else 404 (never 403).

    Visibility is the target's interaction rule, which for a post or a thread is its kind's
    `visible_to` and for a comment adds that a deleted comment is gone and a hidden one is
    seen only by its author and the moderators."""
    target = _load(key, pk)
    if target is None or not target.interaction_visible_to(viewer):  # type: ignore[attr-defined]
        raise Http404
    return target  # type: ignore[return-value]
