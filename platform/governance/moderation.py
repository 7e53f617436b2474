"""What moderation needs from the apps that own the content, in one place.

Reports point at a blog post (blogs), a thread (communities) or a comment/reply
(interactions). For each kind this module knows how to load it, whether someone may see it,
whose it is, where it lives, and which service of the owning app hides and restores it: the
owning app keeps its own rules (its service checks permission again and writes its own audit
entry), governance only decides *when* to call it.

The other apps import lazily (inside functions): governance must import even while an app
is being built, and the other apps import governance for the charter gate.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from governance.models import ContentKind
from people.models import User


@dataclass(frozen=True)
class ContentInfo:
    kind: str
    obj: models.Model
    author: User | None
    community_id: int | None
    excerpt: str
    url: str
    hidden: bool


# --- Loading ----------------------------------------------------------------------------------


def content_load(kind: str, object_id: int) -> models.Model | None:
    """The reported object of this kind, or None (unknown kind, no such object)."""
    if kind == ContentKind.POST:
        from blogs.models import PostPage

        return PostPage.objects.select_related("author").filter(pk=object_id).first()
    if kind == ContentKind.THREAD:
        from communities.models import Thread

        return Thread.objects.select_related("community", "author").filter(pk=object_id).first()
    if kind in (ContentKind.COMMENT, ContentKind.REPLY):
        from interactions.models import Comment

        comment = Comment.objects.select_related("author").filter(pk=object_id).first()
        if comment is None or comment_kind(comment) != kind:
            return None
        return comment
    return None


def comment_kind(comment: models.Model) -> str:
    """A comment on a thread is a reply; on anything else (a post), a comment."""
    model = comment.content_type.model_class()  # type: ignore[attr-defined]
    label = model._meta.label_lower if model is not None else ""
    return ContentKind.REPLY if label == "communities.thread" else ContentKind.COMMENT


def content_visible_to(user: User, kind: str, obj: models.Model) -> bool:
    """Whether `user` may see the object, by the owning app's rules."""
    if kind == ContentKind.POST:
        from blogs.permissions import can_view_post

        return can_view_post(user, obj)
    if kind == ContentKind.THREAD:
        from communities.permissions import can_view_thread

        return can_view_thread(user, obj)
    return bool(obj.interaction_visible_to(user))  # type: ignore[attr-defined]


def content_info(kind: str, obj: models.Model) -> ContentInfo:
    if kind == ContentKind.POST:
        return ContentInfo(
            kind, obj, obj.author, obj.community_id, obj.title[:300], obj.get_absolute_url(),
            bool(obj.hidden),
        )  # fmt: skip
    if kind == ContentKind.THREAD:
        return ContentInfo(
            kind, obj, obj.author, obj.community_id, obj.title[:300], obj.get_absolute_url(),
            obj.hidden_at is not None,
        )  # fmt: skip
    return ContentInfo(
        kind, obj, obj.author, obj.interaction_community_id, obj.body[:300],
        obj.get_absolute_url(), obj.hidden_at is not None or obj.deleted_at is not None,
    )  # fmt: skip


# --- Acting, through the owning app's services ------------------------------------------------


def content_notifies_author(kind: str) -> bool:
    """interactions tells a comment's author itself (with the reason); for posts and threads
    governance does it."""
    return kind in (ContentKind.COMMENT, ContentKind.REPLY)


def content_hide(kind: str, obj: models.Model, *, actor: User, reason: str) -> None:
    """Hide through the owning app's service (which checks its own permission)."""
    if kind == ContentKind.POST:
        from blogs.services import post_hide

        post_hide(actor=actor, post=obj, reason=reason)
    elif kind == ContentKind.THREAD:
        from communities.services import thread_hide

        thread_hide(actor=actor, thread=obj)
    else:
        from interactions.services import comment_hide

        comment_hide(moderator=actor, comment=obj, reason=reason)


def content_restore(kind: str, obj: models.Model, *, actor: User) -> None:
    if kind == ContentKind.POST:
        from blogs.services import post_restore

        post_restore(actor=actor, post=obj)
    elif kind == ContentKind.THREAD:
        from communities.services import thread_restore

        thread_restore(actor=actor, thread=obj)
    else:
        from interactions.services import comment_restore

        comment_restore(moderator=actor, comment=obj)
