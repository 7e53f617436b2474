"""The ROI worksheet (Ross Dawson's three tables, seed 001): the assumptions people enter,
kept as immutable versions. What the platform measures is never stored here: it is read from
the metrics rollups for the period asked (`roi.figures`), so a version says only what a person
assumed, and the same version can be applied to any period.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")


def _money(verbose_name: str | object) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        verbose_name,  # type: ignore[arg-type]
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )


class Worksheet(models.Model):
    """The organisation's worksheet: one row, created with its first version. Saving a
    version locks this row, so two people saving at once get consecutive numbers."""

    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ROI worksheet")
        verbose_name_plural = _("ROI worksheets")

    def __str__(self) -> str:
        return str(_("ROI worksheet"))


class WorksheetVersion(models.Model):
    """One save of the assumptions: never changed afterwards (the current one is the latest;
    earlier ones are the history). Amounts are in `currency`; times in minutes or hours as
    each field says."""

    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("saved at"))
    note = models.CharField(_("what changed and why"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    hourly_cost = _money(_("hourly cost of an employee"))
    minutes_per_answer = _money(_("minutes saved per answered question"))
    minutes_per_connection = _money(_("minutes saved per cross-department exchange"))
    hours_per_newcomer = _money(_("hours of onboarding saved per engaged newcomer"))
    minutes_per_person_reached = _money(_("minutes saved per person reached by leaders"))
    licence_cost_per_year = _money(_("licence cost per year"))
    staff_cost_per_year = _money(_("staff cost per year (community management, support)"))

    class Meta:
        verbose_name = _("ROI worksheet version")
        verbose_name_plural = _("ROI worksheet versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "number"], name="one_roi_version_number")
        ]

    def __str__(self) -> str:
        return str(_("version %(number)d") % {"number": self.number})

    def save(self, *args: object, **kwargs: object) -> None:
        # A version is what someone assumed at a time: it is never rewritten (the audit log
        # and the history page refer to it).
        if not self._state.adding:
            raise ValueError("A worksheet version is immutable: save a new version instead.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class LineKind(models.TextChoices):
    COST = "cost", _("cost")
    BENEFIT = "benefit", _("tangible benefit")
    INTANGIBLE = "intangible", _("intangible benefit")


class Period(models.TextChoices):
    ONE_OFF = "one_off", _("one-off")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class WorksheetLine(models.Model):
    """A free line of a version: a cost or a tangible benefit (an amount and its period), or
    an intangible benefit (text only: it is not turned into money)."""

    version = models.ForeignKey(WorksheetVersion, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=12, choices=LineKind)
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("line"), max_length=200)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    period = models.CharField(_("period"), max_length=8, choices=Period, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("A worksheet line belongs to an immutable version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]
