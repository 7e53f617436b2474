"""Participation events: the append-only record every metric is computed from.

Every app writes events through `activity.services` (in the same transaction as the thing
that happened); `metrics` only reads them. The tables keep the names they were created under
in `metrics` (moved here by state-only migrations).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    VIEWED = "viewed", _("viewed")
    POSTED = "posted", _("posted")
    COMMENTED = "commented", _("commented")
    REPLIED = "replied", _("replied")
    REACTED = "reacted", _("reacted")
    JOINED = "joined", _("joined")
    FOLLOWED = "followed", _("followed")
    STARTED_THREAD = "started_thread", _("started a thread")
    ACCEPTED_CHARTER = "accepted_charter", _("accepted the charter")
    UPDATED_PROFILE = "updated_profile", _("updated their profile")


class ParticipationEvent(models.Model):
    """One thing an employee did, written in the same transaction as the thing itself.

    Append-only: nothing updates or deletes a row. Departments and communities are kept as
    plain ids (no foreign-key constraint) so that the history stays as it happened even when a
    department is renamed, merged or a community archived.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participation_events"
    )
    verb = models.CharField(max_length=32, choices=Verb)
    # "app_label.model" of the object acted on, and its id.
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    community_id = models.BigIntegerField(null=True, blank=True)
    # The actor's department at that time.
    department_id = models.BigIntegerField(null=True, blank=True)
    # Whose content was acted on (the author answered, the executive read), and their
    # department at that time: cross-department interaction and leader reach need them.
    target_user_id = models.BigIntegerField(null=True, blank=True)
    target_department_id = models.BigIntegerField(null=True, blank=True)
    # Who prepared the content when a delegate drafted it for its author (leader voice: a
    # post is self-written when this is empty).
    prepared_by_id = models.BigIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    # The local calendar day of occurred_at: rollups are per day, and views are deduplicated
    # per person, object and day by the constraint below.
    occurred_on = models.DateField()

    class Meta:
        db_table = "metrics_participationevent"  # kept where it was created
        verbose_name = _("participation event")
        verbose_name_plural = _("participation events")
        indexes = [
            models.Index(fields=["occurred_on", "verb"], name="event_day_verb"),
            models.Index(fields=["actor", "occurred_on"], name="event_actor_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "object_type", "object_id", "occurred_on"],
                condition=models.Q(verb="viewed"),
                name="one_view_per_person_object_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_id}"


class DirtyDay(models.Model):
    """A past day that received an event after it may have been rolled up (a late or
    back-dated event): the next run rolls it up again, then deletes this row."""

    day = models.DateField(primary_key=True)

    class Meta:
        db_table = "metrics_dirtyday"  # kept where it was created

    def __str__(self) -> str:
        return self.day.isoformat()
