"""Which models may be commented on or reacted to through this app's URLs.

The URLs name a target by a short key and an id (`/interactions/post/42/comments/`), never
by an arbitrary content type: only registered models are reachable, and the lookup always
applies the target's own visibility (404 when the viewer may not see it, exactly as when it
does not exist, so that private community content does not even reveal that it exists).

Apps register their model in their `AppConfig.ready()`::

    from interactions.registry import register
    register("post", PostPage)       # blogs
    register("thread", Thread)       # communities

`interactions` registers "comment" itself (reactions on comments).

The lookup uses the model's default manager, or its `for_interactions()` queryset method when
the manager has one (to `select_related` what the visibility check reads, for example).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from interactions.targets import InteractionTarget
    from people.models import User

_BY_KEY: dict[str, type[models.Model]] = {}
_BY_MODEL: dict[type[models.Model], str] = {}


def register(key: str, model: type[models.Model]) -> None:
    """Make `model` reachable as `key`. Registering the same pair twice is harmless (tests and
    autoreload import apps more than once); a key taken by another model is a bug."""
    existing = _BY_KEY.get(key)
    if existing is not None and existing is not model and existing.__name__ != model.__name__:
        raise ValueError(f"interaction target key {key!r} is already used by {existing}")
    if existing is not None:
        _BY_MODEL.pop(existing, None)
    _BY_KEY[key] = model
    _BY_MODEL[model] = key


def unregister(key: str) -> None:
    """Forget `key` (tests that register a model of their own clean up with this)."""
    model = _BY_KEY.pop(key, None)
    if model is not None:
        _BY_MODEL.pop(model, None)


def model_for(key: str) -> type[models.Model]:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise Http404 from None


def key_for(target: Any) -> str:
    """The registered key of `target`'s model (for URLs in templates)."""
    for cls in type(target).__mro__:
        key = _BY_MODEL.get(cls)  # type: ignore[call-overload]
        if key is not None:
            return key
    raise LookupError(f"{type(target).__name__} is not a registered interaction target")


def is_registered(target: Any) -> bool:
    try:
        key_for(target)
    except LookupError:
        return False
    return True


def target_get(key: str, pk: Any, *, viewer: User) -> InteractionTarget:
    """The registered target `key`/`pk` if `viewer` may see it, else 404 (never 403)."""
    model = model_for(key)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    manager = model._default_manager
    queryset = getattr(manager, "for_interactions", None)
    queryset = queryset() if queryset is not None else manager.all()
    target = queryset.filter(pk=pk).first()
    if target is None:
        raise Http404
    specific = getattr(target, "specific", None)  # Wagtail pages: the specific page
    if specific is not None and isinstance(specific, models.Model):
        target = specific
    if not target.interaction_visible_to(viewer):
        raise Http404
    return target
