"""What a model must offer to be commented on and reacted to: the `InteractionTarget` protocol.

The target must also be a registered content kind (`core.content`): the URLs reach it by its
kind key, notifications check who may see it through its kind, and its `comment_kind` says
whether a comment on it is a "comment" or a "reply" (`interactions.content`).

Blogs' `PostPage` and communities' `Thread` implement it; `interactions.models.Comment`
implements it too, so that people can react to a comment. The services and views of this app
only ever talk to a target through these members, so that the rules of who may see, comment
and moderate stay in the app that owns the content.

Required::

    interaction_comment_verb = Verb.COMMENTED      # class attribute (activity.models.Verb)

    def interaction_visible_to(self, user) -> bool      # may see the target and its comments
    def interaction_can_comment(self, user) -> bool     # may comment/reply (published, unlocked,
                                                        # member of the community, ...)
    def interaction_can_moderate(self, user) -> bool    # may hide/restore comments
    @property
    def interaction_owner(self) -> User                 # whose content it is
    @property
    def interaction_community_id(self) -> int | None
    def get_absolute_url(self) -> str

Optional hooks, used only when the target defines them:

- `interaction_can_react(user) -> bool`: who may react; defaults to `interaction_can_comment`.
- `interaction_comment_refusal(user) -> str | None`: when `interaction_can_comment` says no,
  a translated sentence telling the person why, shown with the text they typed kept, for
  example "This post was removed; your comment was not published." or "This thread is
  locked; your reply was not published.". With a sentence the service raises a
  `ValidationError` (the form is shown again); without one, `PermissionDenied`.
- `interaction_owner_notification(comment) -> str | None`: the notification kind the owner
  gets for a new top-level comment: "comment" by default; a thread may say "reply" (a
  discussion) or "answer" (a question), or None when it notifies its owner itself.
- `interaction_on_comment(comment, *, created: bool)`: called INSIDE the write transaction,
  after the comment row is written, whenever what the target counts changes: a comment
  created (`created=True`), deleted by its author, hidden or restored by moderation
  (`created=False`; not for an edit, which changes no count). This is where the target keeps
  its counters (a thread's `reply_count` and `last_activity_at`), so that they commit or roll
  back with the comment. It may lock and update the target's rows; it must not broadcast,
  notify or enqueue anything (that is for the next hook).
- `interaction_after_comment(comment, *, created: bool)`: called in `transaction.on_commit`
  after a comment on this target is created (`created=True`), edited, deleted, hidden or
  restored (`created=False`). It only broadcasts (communities' live updates): it never
  writes, so a failed broadcast cannot leave a counter wrong.

Wagtail pages: pass the *specific* page (`page.specific`), so that comments are stored against
`blogs.PostPage` and not the generic `wagtailcore.Page`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from django.contrib.contenttypes.models import ContentType
from django.db import models

if TYPE_CHECKING:
    from people.models import User


@runtime_checkable
class InteractionTarget(Protocol):
    pk: Any
    interaction_comment_verb: str

    def interaction_visible_to(self, user: User) -> bool: ...

    def interaction_can_comment(self, user: User) -> bool: ...

    def interaction_can_moderate(self, user: User) -> bool: ...

    @property
    def interaction_owner(self) -> User | None: ...

    @property
    def interaction_community_id(self) -> int | None: ...

    def get_absolute_url(self) -> str: ...


def as_model(target: InteractionTarget) -> models.Model:
    """Every target is a model, which a protocol cannot say: for the APIs typed on models
    (`core.content`, `notify`, `event_record`)."""
    return cast(models.Model, target)


def target_content_type(target: Any) -> ContentType:
    """The content type comments and reactions of `target` are stored under (cached)."""
    return ContentType.objects.get_for_model(target, for_concrete_model=False)


def can_react(user: User, target: InteractionTarget) -> bool:
    """May `user` react to `target`: they see it and the target's rule (or its comment rule)
    allows it."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not target.interaction_visible_to(user):
        return False
    hook = getattr(target, "interaction_can_react", None)
    if hook is not None:
        return bool(hook(user))
    return bool(target.interaction_can_comment(user))


def comment_refusal(user: User, target: InteractionTarget) -> str | None:
    """The target's own explanation of why `user` may not comment now, if it gives one."""
    hook = getattr(target, "interaction_comment_refusal", None)
    if hook is None:
        return None
    reason = hook(user)
    return str(reason) if reason else None
