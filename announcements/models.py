"""Must-read announcements (issue 16, item 3): an executive, the communications team or an
administrator publishes an announcement to an audience (everyone, some departments, the
members of one community), optionally asking each recipient to say "I have read it" by a
deadline.

The audience is fixed when the announcement is published: one `Receipt` per recipient, with
the recipient's department at that moment. So the acknowledgement rates compare what was
asked of whom (someone who joins a department later was never asked), visibility is one
indexed lookup, and the e-mails and reminders each remember whom they reached (a task run
twice sends nothing twice).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    DEPARTMENTS = "departments", _("Some departments")
    COMMUNITY = "community", _("The members of a community")


class Announcement(models.Model):
    """One announcement. Scheduled while `published_at` is empty: the beat task
    `announcements.tasks.publish_due` publishes it at `publish_at`."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="announcements",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10000)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience)
    departments = models.ManyToManyField(
        "people.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requires_ack = models.BooleanField(_("ask for an “I have read it”"), default=True)
    deadline = models.DateTimeField(_("to be read by"), null=True, blank=True)
    send_email = models.BooleanField(_("also send it by e-mail"), default=False)
    publish_at = models.DateTimeField(_("publication"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        indexes = [
            models.Index(
                fields=["publish_at"],
                name="announcement_due",
                condition=models.Q(published_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("announcements:detail", kwargs={"announcement_id": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Receipt(models.Model):
    """One recipient of a published announcement, and what happened since."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="receipts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="announcement_receipts"
    )
    # The recipient's department when the announcement was published (rates "as it was").
    department = models.ForeignKey(
        "people.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    reminder_emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="one_receipt_per_person")
        ]
        indexes = [models.Index(fields=["user", "acknowledged_at"], name="receipt_user_ack")]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.user_id}"
