"""Participation events: the append-only record every metric is computed from.

Every app writes events through `activity.services` (in the same transaction as the thing
that happened); `metrics` only reads them. The tables keep the names they were created under
in `metrics` (moved here by state-only migrations).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a participation event (see
    `ParticipationEvent`; the database trigger of migration 0004 refuses raw SQL too)."""


class ParticipationEventQuerySet(models.QuerySet["ParticipationEvent"]):
    # Bulk paths bypass Model.save()/delete(): close them too, so that no code path (admin
    # actions included) rewrites history. The one exception, retention/erasure, goes through
    # `activity.retention` (raw SQL under a transaction-local permission the trigger checks).
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("participation events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("participation events are append-only")


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
    # Membership as it was: leaving (actor: the member) and removal (actor: the manager,
    # target: the member) end a membership; an invitation (target: the person invited)
    # starts none until it is accepted (`joined`, like an approved request).
    LEFT = "left", _("left a community")
    REMOVED = "removed", _("removed a member")
    INVITED = "invited", _("invited someone")
    # Must-read announcements (announcements app): published, acknowledged ("I have read
    # it"), a reminder sent to those who had not. Top-down, so no engagement figure counts
    # them (metrics.definitions, "Announcements").
    ANNOUNCED = "announced", _("published an announcement")
    ACKNOWLEDGED = "acknowledged", _("acknowledged an announcement")
    REMINDED = "reminded", _("sent a reminder of an announcement")
    # Ask-me-anything sessions (ama app): opening one is top-down and counts in no figure;
    # asking is a contribution, upvoting a reaction, answering a reply to someone else
    # (metrics.definitions, "Ask me anything"; metrics.rollups maps them).
    OPENED_AMA = "opened_ama", _("opened an ask-me-anything session")
    ASKED_QUESTION = "asked_question", _("asked a question")
    UPVOTED = "upvoted", _("upvoted a question")
    ANSWERED_QUESTION = "answered_question", _("answered a question")


class ParticipationEvent(models.Model):
    """One thing an employee did, written in the same transaction as the thing itself.

    Append-only: nothing updates or deletes a row (model, queryset and a database trigger
    refuse it; the one documented exception is `activity.retention.allow_erasure`).
    Departments and communities are kept as
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
    # The conversation the event belongs to, fixed when it is written (core.content
    # `conversation_of`): ("post", id) or ("thread", id) for a post, a thread, a comment or a
    # reply under them, a reaction to one of those; blank when there is none. Rollups match
    # a thread and its first reply, a leader and their answers, on it without looking the
    # comment up again. `db_default`: raw inserts (COPY in bench/rollups) may leave it out.
    conversation_type = models.CharField(max_length=16, blank=True, default="", db_default="")
    conversation_id = models.BigIntegerField(null=True, blank=True)

    objects = ParticipationEventQuerySet.as_manager()

    class Meta:
        db_table = "metrics_participationevent"  # kept where it was created
        verbose_name = _("participation event")
        verbose_name_plural = _("participation events")
        indexes = [
            models.Index(fields=["occurred_on", "verb"], name="event_day_verb"),
            models.Index(fields=["actor", "occurred_on"], name="event_actor_day"),
            # The conversation rollups (threads and their first replies, leaders' answers)
            # read a day range of the events that have a conversation, by conversation.
            models.Index(
                fields=["occurred_on", "conversation_type", "conversation_id"],
                name="event_day_conversation",
                condition=~models.Q(conversation_type=""),
            ),
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("participation events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("participation events are append-only")

    @property
    def conversation(self) -> tuple[str, int] | None:
        if not self.conversation_type or self.conversation_id is None:
            return None
        return (self.conversation_type, self.conversation_id)


class DirtyDay(models.Model):
    """A past day that received an event after it may have been rolled up (a late or
    back-dated event): the next run rolls it up again, then deletes this row."""

    day = models.DateField(primary_key=True)

    class Meta:
        db_table = "metrics_dirtyday"  # kept where it was created

    def __str__(self) -> str:
        return self.day.isoformat()
