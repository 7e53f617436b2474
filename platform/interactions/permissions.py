"""Who may do what with comments and reactions. Services, views and templates all ask here.

The target (post, thread) decides who sees it, who comments and who moderates; these
functions add the rules that belong to comments themselves (only the author edits or deletes,
a removed comment is not edited, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404

from interactions.models import Comment
from interactions.targets import can_react  # re-exported: every rule in one module

if TYPE_CHECKING:
    from interactions.targets import InteractionTarget
    from people.models import User

__all__ = [
    "access_comment",
    "can_comment",
    "can_delete_comment",
    "can_edit_comment",
    "can_moderate_comment",
    "can_react",
    "can_view_comment_target",
    "may_delete_comment",
    "may_edit_comment",
]


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_view_comment_target(user: User, target: InteractionTarget) -> bool:
    return _active(user) and bool(target.interaction_visible_to(user))


def can_comment(user: User, target: InteractionTarget) -> bool:
    return can_view_comment_target(user, target) and bool(target.interaction_can_comment(user))


def may_edit_comment(user: User, comment: Comment, *, may_comment: bool) -> bool:
    """The author edits their own comment while it is neither deleted nor hidden, and while
    they may still comment on the target (`may_comment`: a locked thread freezes its replies
    too). Split from the target check so that a page of 200 comments asks the target once."""
    return (
        _active(user)
        and comment.author_id == user.pk
        and not comment.is_deleted
        and not comment.is_hidden
        and may_comment
    )


def may_delete_comment(user: User, comment: Comment, *, may_view: bool) -> bool:
    """Only the author deletes their comment (moderators hide, they do not delete)."""
    return _active(user) and comment.author_id == user.pk and not comment.is_deleted and may_view


def can_edit_comment(user: User, comment: Comment, target: InteractionTarget) -> bool:
    return may_edit_comment(user, comment, may_comment=can_comment(user, target))


def can_delete_comment(user: User, comment: Comment, target: InteractionTarget) -> bool:
    return may_delete_comment(user, comment, may_view=can_view_comment_target(user, target))


def can_moderate_comment(user: User, comment: Comment, target: InteractionTarget) -> bool:
    """Moderators of the target (community managers, administrators, the blog owner) hide
    and restore its comments; a comment removed by its author is no longer theirs to judge."""
    return (
        not comment.is_deleted
        and can_view_comment_target(user, target)
        and bool(target.interaction_can_moderate(user))
    )


def access_comment(user: User, comment_id: Any) -> tuple[Comment, InteractionTarget]:
    """The comment and its target if `user` may see the target, else 404 (never 403): a
    comment in a private community does not reveal that it exists."""
    try:
        comment_id = int(comment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    comment = Comment.objects.select_related("author", "content_type").filter(pk=comment_id).first()
    if comment is None:
        raise Http404
    target = comment.target
    specific = getattr(target, "specific", None)
    if specific is not None and specific is not target:
        target = specific
    if target is None or not can_view_comment_target(user, target):
        raise Http404
    return comment, target
