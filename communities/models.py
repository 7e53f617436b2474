"""Communities, their members and their threads.

Replies to a thread are `interactions` comments (one level of nesting), shared with blogs; the
`Thread` model implements the `interactions.targets.InteractionTarget` protocol so that
`interactions.services` can check permissions, write replies, record participation and notify.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities import live, replies
from core.feed import feed_changed
from core.models import Moderated


class AccessMode(models.TextChoices):
    OPEN = "open", _("Open: anyone joins")
    BY_REQUEST = "request", _("By request: a manager approves")
    PRIVATE = "private", _("Private: by invitation, invisible to others")


class Community(models.Model):
    """A place where people of one or several departments discuss.

    Created by any employee through `services.community_create`, who becomes its first
    manager. A private community exists only for its members (and administrators).
    """

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    image = models.ImageField(_("image"), upload_to="communities/images/", blank=True)
    access = models.CharField(
        _("access"), max_length=16, choices=AccessMode, default=AccessMode.OPEN
    )
    departments = models.ManyToManyField(
        "people.Department",
        verbose_name=_("departments involved"),
        blank=True,
        related_name="communities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    # Kept up to date by the services (new thread, new reply): the directory sorts and filters
    # on it without aggregating over every thread.
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", kwargs={"slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.access == AccessMode.PRIVATE

    def interaction_visible_to(self, user) -> bool:
        """Notifications about a community (join requests, invitations) re-check this, so a
        private community's name never shows to someone no longer in it."""
        # Here, not at the top: communities.permissions imports this module (a real cycle).
        from communities.permissions import can_view_community

        return can_view_community(user, self)


class Role(models.TextChoices):
    MEMBER = "member", _("member")
    MANAGER = "manager", _("manager")


class MembershipState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    INVITED = "invited", _("invited")
    ACTIVE = "active", _("active")


class Membership(models.Model):
    """One person's place in one community: a pending request, an invitation, or a member."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.MEMBER)
    state = models.CharField(
        _("state"), max_length=16, choices=MembershipState, default=MembershipState.ACTIVE
    )
    created_at = models.DateTimeField(_("since"))
    # Who approved the request or sent the invitation.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="one_membership_per_person")
        ]
        indexes = [models.Index(fields=["user", "state"], name="membership_user_state")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id} ({self.role}, {self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE

    @property
    def is_manager(self) -> bool:
        return self.is_active and self.role == Role.MANAGER


class ThreadKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    QUESTION = "question", _("Question")
    ANNOUNCEMENT = "announcement", _("Announcement")


class ThreadManager(models.Manager["Thread"]):
    def get_queryset(self) -> models.QuerySet[Thread]:
        # Every permission check on a thread needs its community: fetch it in the same query
        # (lists built elsewhere, e.g. the notification centre, stay at one query).
        return super().get_queryset().select_related("community")


class Thread(Moderated):
    """A discussion, question or announcement in a community; replies are interactions comments.

    Implements `interactions.targets.InteractionTarget`. Moderation hides (never deletes) a
    thread and records who hid it, when and why (`core.models.Moderated`, only through
    `governance.services.content_hide`); an author's own deletion is soft too, so that the
    participation history stays as it happened.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="community_threads"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ThreadKind, default=ThreadKind.DISCUSSION
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    # Sanitised HTML rendered once at write time (core.html.render_user_text), not per view.
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), db_index=True)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    # The accepted answer of a question: an interactions comment id. A plain id rather than a
    # foreign key keeps communities' migrations independent of the comment table's history.
    accepted_reply_id = models.BigIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # hidden_at, hidden_by, hidden_reason: core.models.Moderated.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ThreadManager()

    # interactions.targets.InteractionTarget: the verb of a comment on a thread.
    interaction_comment_verb = "replied"

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["community", "-pinned", "-last_activity_at"], name="thread_list"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "communities:thread", kwargs={"slug": self.community.slug, "thread_id": self.pk}
        )

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION

    @property
    def is_answered(self) -> bool:
        return self.accepted_reply_id is not None

    # --- interactions.targets.InteractionTarget -------------------------------------------
    @property
    def interaction_owner(self):
        return self.author

    @property
    def interaction_community_id(self) -> int:
        return self.community_id

    def interaction_visible_to(self, user) -> bool:
        # Here, not at the top: communities.permissions imports this module (a real cycle).
        from communities.permissions import can_view_thread

        return can_view_thread(user, self)

    def interaction_can_comment(self, user) -> bool:
        # Here, not at the top: communities.permissions imports this module (a real cycle).
        from communities.permissions import can_reply_thread

        return can_reply_thread(user, self)

    def interaction_can_moderate(self, user) -> bool:
        # Here, not at the top: communities.permissions imports this module (a real cycle).
        from communities.permissions import can_moderate_thread

        return can_moderate_thread(user, self)

    def interaction_comment_refusal(self, user) -> str | None:
        """Why a reply is refused (locked, hidden, not a member): shown with the text kept."""
        # Here, not at the top: communities.permissions imports this module (a real cycle).
        from communities.permissions import reply_refusal_reason

        reason = reply_refusal_reason(user, self)
        return str(reason) if reason is not None else None

    def interaction_owner_notification(self, comment) -> str:
        """What the thread's author is told of a new reply: an answer to their question, or
        a reply to them (notifications.models.Kind), not a "comment on your post"."""
        return "answer" if self.is_question else "reply"

    def interaction_on_comment(self, comment: Any, *, created: bool) -> None:
        """Keep the reply count and the last activity of the thread (and of its community)
        right. Called by interactions INSIDE the write transaction of the reply (created,
        edited, deleted, hidden or restored), so the counters change exactly when the reply
        does: a rolled-back reply leaves them as they were.

        A recount under the thread's row lock rather than an increment: it is right after a
        deletion or a hide too, and two replies committed at once cannot both count from the
        same old number (the count runs after the lock, so it sees the other's reply)."""
        locked = (
            Thread.objects.select_for_update(of=("self",))
            .filter(pk=self.pk)
            .values_list("last_activity_at", flat=True)
            .first()
        )
        if locked is None:
            return
        count, last_reply_at = replies.reply_stats(self)
        last_at: datetime = max(locked, last_reply_at or locked)
        Thread.objects.filter(pk=self.pk).update(reply_count=count, last_activity_at=last_at)
        if last_at > locked:
            Community.objects.filter(pk=self.community_id, last_activity_at__lt=last_at).update(
                last_activity_at=last_at
            )
        self.reply_count, self.last_activity_at = count, last_at
        # update() sends no signal: the cached rows of the thread and its community are stale.
        from communities.versions import community_changed, thread_changed  # imports this module

        thread_changed(self.pk)
        community_changed(self.community_id)
        feed_changed()  # the thread's reply count and rank in its members' home feeds

    def interaction_after_comment(self, comment: Any, *, created: bool) -> None:
        """On commit of a reply written or changed through interactions: go live (only that;
        the counters were written in the reply's transaction by `interaction_on_comment`)."""
        live.broadcast_reply(self, comment, created=created)
