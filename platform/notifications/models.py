"""In-app notifications, each person's preferences, and per-target e-mail mutes.

A notification is written by `notifications.services.notify` inside the transaction of the
action that caused it (a comment, a reply, a join request...), so it exists if and only if the
action committed. Its `target` is the thing the action happened *on* (the blog post, the
community thread, the community): the notification centre re-checks that the recipient may
still see it, and muting a target stops e-mail about it ("unsubscribe from this post").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMMENT = "comment", _("Comments on your posts")
    REPLY = "reply", _("Replies to you")
    MENTION = "mention", _("Mentions of you")
    ANSWER = "answer", _("Answers to your questions")
    ANSWER_ACCEPTED = "answer_accepted", _("Your answer accepted")
    JOIN_REQUEST = "join_request", _("Requests to join communities you manage")
    MEMBERSHIP = "membership", _("Your community memberships and invitations")
    ANNOUNCEMENT = "announcement", _("Announcements in your communities")
    NEW_THREAD = "new_thread", _("New threads in your communities")
    NEW_POST = "new_post", _("New posts by people you follow")
    REACTION = "reaction", _("Reactions to your content")
    MODERATION = "moderation", _("Moderation of your content")
    DRAFT_READY = "draft_ready", _("Drafts your delegates marked ready for your review")


# Kinds worth an e-mail at once (issue 3: someone commented on your post or replied to your
# comment). Every other kind waits for the digest, if the person chose one.
IMMEDIATE_EMAIL_KINDS = frozenset({Kind.COMMENT, Kind.REPLY})


class DigestFrequency(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    # The title of the target when the notification was made: group headings ("5 new replies
    # in ...") and e-mails need it without loading every target.
    target_title = models.CharField(_("about"), max_length=255, blank=True)
    url = models.CharField(_("link"), max_length=500)
    summary = models.CharField(_("summary"), max_length=500)
    # Notifications sharing a key are shown as one line in the centre ("5 new replies in ...").
    group_key = models.CharField(_("group"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set once the notification went out by e-mail (immediately or in a digest): a retried
    # task never sends it twice.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The centre: a person's notifications, newest first, grouped by key.
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
            models.Index(fields=["recipient", "group_key"], name="notif_recipient_group_idx"),
            # The badge: "unread of a recipient" stays an index-only lookup however large the
            # backlog of read notifications grows.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notif_unread_idx",
            ),
            # The digest: notifications not yet e-mailed.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(emailed_at__isnull=True, read_at__isnull=True),
                name="notif_unemailed_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """What one person wants to hear about, and how. No row means the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    # Kinds the person switched off entirely (no notification at all, so no e-mail either).
    disabled_kinds = models.JSONField(_("kinds switched off"), default=list, blank=True)
    # Kinds still shown in the app but never e-mailed.
    email_disabled_kinds = models.JSONField(_("kinds not sent by e-mail"), default=list, blank=True)
    email_enabled = models.BooleanField(_("receive e-mail from Ruche"), default=True)
    email_immediate = models.BooleanField(
        _("e-mail me at once about comments and replies"), default=True
    )
    digest_frequency = models.CharField(
        _("digest of other notifications"),
        max_length=8,
        choices=DigestFrequency,
        default=DigestFrequency.WEEKLY,
    )
    # The weekly content digest (what is new from the people and communities one follows, and
    # the leaders' posts one has not read): opt-out, independent of the notification digest.
    content_digest = models.BooleanField(_("weekly digest of new content"), default=True)
    # An IANA zone name ("America/Montreal"); blank means the site's zone (settings.TIME_ZONE).
    # Only the content digest reads it today: it leaves on Monday at 7:00 local time.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, default="")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)

    def wants_in_app(self, kind: str) -> bool:
        return kind not in self.disabled_kinds

    def wants_email(self, kind: str) -> bool:
        return (
            self.email_enabled
            and kind not in self.disabled_kinds
            and kind not in self.email_disabled_kinds
        )

    def wants_immediate_email(self, kind: str) -> bool:
        return self.email_immediate and kind in IMMEDIATE_EMAIL_KINDS and self.wants_email(kind)


class Mute(models.Model):
    """A person stopped e-mail about one target (a post, a thread): "unsubscribe from this"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="notification_mutes",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    target_title = models.CharField(_("about"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("muted conversation")
        verbose_name_plural = _("muted conversations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="notif_mute_unique"
            )
        ]

    def __str__(self) -> str:
        return self.target_title or f"{self.content_type_id}:{self.object_id}"


class ContentDigestSent(models.Model):
    """The content digest of one week went to one person: a retried or repeated task finds
    the row (unique per person and week) and sends nothing again. `week` is the Monday of
    that week in the person's time zone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="content_digests_sent",
    )
    week = models.DateField(_("week of"))
    items = models.PositiveIntegerField(_("items"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("content digest sent")
        verbose_name_plural = _("content digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="content_digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week.isoformat()}"
