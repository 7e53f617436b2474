"""Governance records: the usage charter and its acceptances, and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from people.models import PersonalToken, new_secret_token


class Charter(models.Model):
    """One version of the internal usage charter, in French and English.

    Administrators write a draft and publish it; a published version is never edited again
    (people accepted *that* text), so a change means a new version. The current charter is the
    latest published version.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_fr = models.TextField(_("text (French)"), max_length=50_000)
    body_en = models.TextField(_("text (English)"), max_length=50_000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "fr").startswith("en") else self.title_fr

    @property
    def body(self) -> str:
        return self.body_en if (get_language() or "fr").startswith("en") else self.body_fr


class CharterAcceptance(models.Model):
    """That a person accepted one version of the charter, and when."""

    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("charter")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="charter_acceptances",
        verbose_name=_("employee"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), db_index=True)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("charter acceptance")
        verbose_name_plural = _("charter acceptances")
        constraints = [
            models.UniqueConstraint(fields=["charter", "user"], name="one_acceptance_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted v{self.charter_id}"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    # Bulk paths bypass Model.save()/delete(): close them too, so that no code path (admin
    # actions included) can rewrite history.
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")


class AuditEntry(models.Model):
    """Who did what to what, when, with the state before and after. Append-only.

    The actor's name and the target's label are copied at the time, so that the entry still
    reads correctly after a rename; the target is a type and an id, not a foreign key, so that
    deleting the target never deletes (or blocks on) its history.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        # No constraint and no cascade: deleting an account must neither delete nor rewrite
        # its history (actor_label keeps the name), nor be blocked by it.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("who (name at the time)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True, db_index=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), null=True, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")


# --- Moderation -------------------------------------------------------------------------------


class ReportReason(models.TextChoices):
    DISRESPECT = "disrespect", _("Disrespectful or harassing")
    CONFIDENTIAL = "confidential", _("Confidential information")
    FALSE = "false", _("False or misleading")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off topic here")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("waiting for a moderator")
    HIDDEN = "hidden", _("content hidden")
    DISMISSED = "dismissed", _("dismissed: nothing to do")
    RESTORED = "restored", _("hidden, then restored")


class ContentKind(models.TextChoices):
    """What can be reported: a blog post, a community thread, and the comments on either (a
    comment on a thread is called a reply)."""

    POST = "post", _("blog post")
    THREAD = "thread", _("thread")
    COMMENT = "comment", _("comment")
    REPLY = "reply", _("reply")


class Report(models.Model):
    """An employee reports a piece of content, with a reason; a moderator decides.

    The content stays in its app; this row points at it by kind and id and keeps a copy of what
    moderators need to sort the queue (who wrote it, in which community, a short excerpt).
    Who reported is never shown to the author. Every decision is also in the audit log.
    """

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="reports_made",
    )
    kind = models.CharField(_("kind of content"), max_length=16, choices=ContentKind)
    object_id = models.BigIntegerField(_("content id"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author of the content"),
        null=True,
        on_delete=models.PROTECT,
        related_name="reports_about",
    )
    community_id = models.BigIntegerField(_("community"), null=True, blank=True, db_index=True)
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=ReportReason)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus, default=ReportStatus.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Shown to the author: why their content was hidden (or restored).
    decision_note = models.TextField(_("explanation for the author"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["kind", "object_id"], name="report_content")]
        constraints = [
            # One open report per person and piece of content: reporting twice adds nothing.
            models.UniqueConstraint(
                fields=["reporter", "kind", "object_id"],
                condition=models.Q(status="open"),
                name="one_open_report_per_person_content",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id}: {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN


# --- Editorial calendar -----------------------------------------------------------------------


# Migration 0002 refers to this name for the token's default.
_new_token = new_secret_token


class CalendarToken(PersonalToken):
    """The secret in a person's iCalendar feed URL: a calendar application fetches the feed
    without a session, and sees only what that person may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")


# --- Executives' questionnaire ----------------------------------------------------------------


class MaturityStage(models.TextChoices):
    """Forrester's social maturity scale (seed 004), lowest to highest."""

    DORMANT = "dormant", _("Dormant")
    TESTING = "testing", _("Testing")
    COORDINATING = "coordinating", _("Coordinating")
    SCALING = "scaling", _("Scaling")
    EMPOWERED = "empowered", _("Empowered")


class QuestionnaireResponse(models.Model):
    """One filling-in of the executives' questionnaire (seed 001) by one person on one date.

    Kept, never overwritten: the history of what leaders believed is the point. `answers`
    maps the question number ("1" to "27") to the text; unanswered questions are absent (the
    seed says many will have no answer, and that is normal).
    """

    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.PROTECT,
        related_name="questionnaire_responses",
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    believed_stage = models.CharField(
        _("where I believe we stand"), max_length=16, choices=MaturityStage
    )
    answers = models.JSONField(_("answers"), default=dict)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")

    def __str__(self) -> str:
        return f"{self.respondent_id} {self.submitted_at:%Y-%m-%d}"
