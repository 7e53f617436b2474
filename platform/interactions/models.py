"""Comments (one level of replies), reactions and mentions, on any registered target.

A target is any model implementing `interactions.targets.InteractionTarget` (a blog post, a
community thread); it is referenced by content type and id so that one table serves every
app. Nothing here is ever hard-deleted: an author's deletion and a moderator's hiding are
timestamps, so that replies keep their place and moderation stays auditable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from core.models import Moderated
from interactions.targets import can_react, target_content_type

if TYPE_CHECKING:
    from interactions.selectors import ReactionSummary
    from people.models import User

COMMENT_MAX_LENGTH = 10_000


class ReactionKind(models.TextChoices):
    """The small fixed set of reactions. The emoji is decoration; the label is what screen
    readers and tooltips say."""

    LIKE = "like", _("Like")
    CELEBRATE = "celebrate", _("Celebrate")
    INSIGHTFUL = "insightful", _("Insightful")
    SUPPORT = "support", _("Support")
    CURIOUS = "curious", _("Curious")


REACTION_EMOJI: dict[str, str] = {
    ReactionKind.LIKE: "👍",
    ReactionKind.CELEBRATE: "🎉",
    ReactionKind.INSIGHTFUL: "💡",
    ReactionKind.SUPPORT: "🤝",
    ReactionKind.CURIOUS: "🤔",
}


class CommentQuerySet(models.QuerySet["Comment"]):
    def for_target(self, target: Any) -> CommentQuerySet:
        return self.filter(content_type=target_content_type(target), object_id=target.pk)

    def published(self) -> CommentQuerySet:
        """Neither deleted by its author nor hidden by a moderator: what counts and lists."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)


class Comment(Moderated):
    """A comment on a target, or a reply to a top-level comment (one level only).

    `body` is what the employee typed (plain text); `body_html` is its rendering (escaped,
    paragraphs, links, @mentions), computed and sanitised at write time by the services so
    that lists never re-render. Write only through `interactions.services`.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("author"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    body_html = models.TextField(_("rendered comment"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # hidden_at, hidden_by, hidden_reason: from `Moderated` (governance.services.content_hide).

    objects = CommentQuerySet.as_manager()

    # What `interactions.selectors.comment_thread` works out for one viewer and sets on each
    # comment it lists (never stored; plain annotations, so Django makes no field of them):
    # what the template shows and which buttons the viewer gets.
    show_body: bool
    show_hidden_reason: bool
    reactions: ReactionSummary
    can_reply: bool
    can_edit: bool
    can_delete: bool
    can_moderate: bool
    can_react: bool
    thread_replies: list[Comment]
    reaction_url: str
    author_url: str
    # The key of the viewer's cached conversation it was read through (interactions.conversations).
    conversation_key: str
    edit_draft: dict[str, str] | None
    hide_draft: dict[str, str] | None
    reply_draft: dict[str, str] | None

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            # The comments of a target in order: every post and thread page.
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="comment_target_time"
            ),
            # Someone's comments over time: profiles, metrics, "questions still unanswered".
            models.Index(fields=["author", "created_at"], name="comment_author_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="comment_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        target = self.target
        base = target.get_absolute_url() if target is not None else "/"
        return f"{base}#{self.anchor}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    # --- InteractionTarget, so that people can react to a comment -------------------------
    # The comment borrows its rules from what it comments on: whoever may see the post sees
    # its comments, a community's managers moderate them.

    interaction_comment_verb = Verb.REPLIED

    def interaction_visible_to(self, user: User) -> bool:
        if self.is_deleted:
            return False
        target = self.target
        if target is None or not target.interaction_visible_to(user):
            return False
        if self.is_hidden:
            return user.pk == self.author_id or bool(target.interaction_can_moderate(user))
        return True

    def interaction_can_comment(self, user: User) -> bool:
        # Replies go through the parent target (services.comment_create with parent=...).
        return False

    def interaction_can_react(self, user: User) -> bool:
        if self.is_hidden or self.is_deleted or self.target is None:
            return False
        return can_react(user, self.target)

    def interaction_can_moderate(self, user: User) -> bool:
        target = self.target
        return target is not None and bool(target.interaction_can_moderate(user))

    @property
    def interaction_owner(self) -> User:
        return self.author

    @property
    def interaction_community_id(self) -> int | None:
        target = self.target
        return target.interaction_community_id if target is not None else None


class Reaction(models.Model):
    """One person's reaction of one kind to one target (a post, a thread or a comment)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reactions",
        verbose_name=_("person"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("reaction"), max_length=16, choices=ReactionKind)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id", "kind"],
                name="one_reaction_per_person_target_kind",
            )
        ]
        indexes = [
            # Counting reactions per target and kind for a page or a list of targets.
            models.Index(fields=["content_type", "object_id", "kind"], name="reaction_target_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.content_type_id}:{self.object_id}"


class Mention(models.Model):
    """Someone named with @ in a comment: who was mentioned, where, so that notifications and
    metrics ("who is being called into conversations") do not re-parse text."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("comment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentions",
        verbose_name=_("person mentioned"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_mention_per_comment")
        ]

    def __str__(self) -> str:
        return f"@{self.user_id} in {self.comment_id}"


class TargetMention(models.Model):
    """Someone named with @ in the text of a target itself (a blog post's body), not in a
    comment on it: kept so that they are notified once, when the post is first published
    with their name, and not again each time it is republished."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="target_mentions",
        verbose_name=_("person mentioned"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("mention in a text")
        verbose_name_plural = _("mentions in texts")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="one_mention_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"@{self.user_id} in {self.content_type_id}/{self.object_id}"
