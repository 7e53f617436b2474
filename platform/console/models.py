"""Governance console records: reports on content, calendar feed tokens, the executives'
questionnaire.

They moved from the governance kernel without moving their tables (`db_table` keeps the
names `governance_*`; migration 0001 is state only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import PersonalToken

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
        db_table = "governance_report"
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


class CalendarToken(PersonalToken):
    """The secret in a person's iCalendar feed URL: a calendar application fetches the feed
    without a session, and sees only what that person may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )

    class Meta:
        db_table = "governance_calendartoken"
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
        db_table = "governance_questionnaireresponse"
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")

    def __str__(self) -> str:
        return f"{self.respondent_id} {self.submitted_at:%Y-%m-%d}"
