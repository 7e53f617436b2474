"""Comments as content kinds (`core.content`): "comment" and "reply".

Both kinds are the same model: a `Comment` is a "reply" when the kind of what it is written
on says so (`ContentKind.comment_kind == "reply"`: a community thread), a "comment" otherwise
(a blog post). This module never names blogs or communities: it asks the registry about the
comment's target, so that a new commentable kind needs nothing here.

Registered from `InteractionsConfig.ready()`. Moderation of both kinds goes through
`governance.services.content_hide` / `content_restore`, which call `hide`/`restore` below
(state only) and do the permission check, audit, notification and live update once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import content
from core.content import ContentKind, SearchSource, SearchText
from interactions.models import Comment
from interactions.permissions import can_moderate_comment
from interactions.targets import as_model, target_content_type

if TYPE_CHECKING:
    from interactions.targets import InteractionTarget
    from people.models import User

COMMENT_KINDS = ("comment", "reply")
EXCERPT_LENGTH = 300


def comment_target(comment: Comment) -> InteractionTarget | None:
    """What `comment` is written on (the specific page for a Wagtail page), or None when it
    was deleted."""
    target: InteractionTarget | None = comment.target
    specific = getattr(target, "specific", None)  # Wagtail pages
    if specific is not None and isinstance(specific, models.Model):
        target = specific
    return target


def comment_kind_of(comment: Comment) -> str | None:
    """ "comment" or "reply", from the kind of the comment's target; None when the target is
    gone or is not registered content."""
    target = comment_target(comment)
    if target is None:
        return None
    try:
        return content.kind_for(as_model(target)).comment_kind
    except LookupError:
        return None


def comment_get(pk: int) -> Comment | None:
    """A comment of any kind, with its author and its target read in the same go."""
    return Comment.objects.select_related("author").prefetch_related("target").filter(pk=pk).first()


def _loader(key: str) -> Callable[[int], Comment | None]:
    def load(pk: int) -> Comment | None:
        comment = comment_get(pk)
        return comment if comment is not None and comment_kind_of(comment) == key else None

    return load


def _visible_to(user: User, comment: Comment) -> bool:
    target = comment_target(comment)
    return target is not None and bool(target.interaction_visible_to(user))


def _can_moderate(user: User, comment: Comment) -> bool:
    target = comment_target(comment)
    return target is not None and can_moderate_comment(user, comment, target)


def _community_id(comment: Comment) -> int | None:
    target = comment_target(comment)
    return target.interaction_community_id if target is not None else None


def _counters_changed(comment: Comment) -> None:
    # A hidden comment no longer counts (a thread's reply_count): the target recounts in the
    # moderation's own transaction, like for a new or deleted comment (targets.py).
    hook = getattr(comment_target(comment), "interaction_on_comment", None)  # optional hook
    if hook is not None:
        hook(comment, created=False)


def _hide(comment: Comment, *, actor: User, reason: str) -> None:
    comment.moderation_hide(actor=actor, reason=reason)
    _counters_changed(comment)


def _restore(comment: Comment, *, actor: User) -> None:
    comment.moderation_restore(actor=actor)
    _counters_changed(comment)


def _after_moderation(comment: Comment) -> None:
    """On commit of a hide or restore: the target broadcasts (a thread's live page)."""
    target = comment_target(comment)
    hook = getattr(target, "interaction_after_comment", None)  # optional (targets.py)
    if hook is not None:
        hook(comment, created=False)


def _conversation(comment: Comment) -> tuple[str, int] | None:
    target = comment_target(comment)
    return content.conversation_of(as_model(target)) if target is not None else None


def _matcher(key: str) -> Callable[[Comment], bool]:
    return lambda comment: comment_kind_of(comment) == key


# --- Global search ------------------------------------------------------------------------------
# A comment is visible when it is published (neither deleted nor hidden) and what it is written
# on is visible: the target kinds' own search selectors answer the second half, through the
# registry, so a private thread's replies are exactly as visible as the thread.


def _target_kinds(key: str) -> list[tuple[type[models.Model], SearchSource]]:
    """(model, search source) of the searchable kinds whose comments are `key`."""
    return [
        (k.model, k.search_source)
        for k in content.searchable_kinds()
        if k.comment_kind == key and k.model is not Comment and k.search_source is not None
    ]


def _of_kind(key: str) -> models.Q:
    """Comments written on the kinds whose comments are `key`."""
    types = [target_content_type(model).pk for model, _source in _target_kinds(key)]
    return models.Q(content_type_id__in=types)


def _search_visible(key: str) -> Callable[[User], models.QuerySet[Comment]]:
    def visible(user: User) -> models.QuerySet[Comment]:
        condition = models.Q(pk__in=[])
        for model, source in _target_kinds(key):
            condition |= models.Q(
                content_type_id=target_content_type(model).pk,
                object_id__in=source.visible(user).values("pk"),
            )
        return Comment.objects.published().filter(condition)

    return visible


def _search_text(comment: Comment) -> SearchText:
    return SearchText(
        title="",
        body=comment.body,
        date=comment.created_at,
        author_id=comment.author_id,
        community_id=_community_id(comment),
    )


def _search_source(key: str) -> SearchSource:
    return SearchSource(
        visible=_search_visible(key),
        text=_search_text,
        objects=lambda: (
            Comment.objects.filter(_of_kind(key)).prefetch_related("target").order_by("pk")
        ),
        text_fields=frozenset({"body"}),
    )


def register_kinds() -> None:
    labels = {"comment": _("comment"), "reply": _("reply")}
    for key in COMMENT_KINDS:
        content.register(
            ContentKind(
                key=key,
                model=Comment,
                label=labels[key],
                matches=_matcher(key),
                load=_loader(key),
                visible_to=_visible_to,
                can_moderate=_can_moderate,
                author=lambda comment: comment.author,
                community_id=_community_id,
                excerpt=lambda comment: comment.body[:EXCERPT_LENGTH],
                url=lambda comment: comment.get_absolute_url(),
                hide=_hide,
                restore=_restore,
                after_moderation=_after_moderation,
                conversation=_conversation,
                search_source=_search_source(key),
            )
        )
