"""Ask-me-anything sessions (issue 16, item 2): an executive (to everyone or some
departments) or a community manager (to their community) opens a session for a time window;
its audience asks questions, possibly anonymously, and upvotes them; the host answers them.

The status is derived from the window, never stored: upcoming before `starts_at`, open until
`ends_at`, archived afterwards (read-only, still readable by its audience). So no beat task
has to flip a flag and the page, the list and the services can never disagree.

An anonymous question keeps its author (`Question.author`): the participation event, the
audit log and the moderators know who asked; only what the audience sees says "Anonymous
colleague" (`ama.selectors.author_label`).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Moderated

QUESTION_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 5000


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    DEPARTMENTS = "departments", _("Some departments")
    COMMUNITY = "community", _("The members of a community")


class Status(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    ARCHIVED = "archived", _("Archived")


class Session(models.Model):
    """One session, opened through `ama.services.session_open`."""

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="ama_sessions",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("opens at"))
    ends_at = models.DateTimeField(_("closes at"))
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
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("ask-me-anything session")
        verbose_name_plural = _("ask-me-anything sessions")
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="ama_session_window")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ama:detail", kwargs={"session_id": self.pk})

    def status_at(self, now: datetime) -> Status:
        if now < self.starts_at:
            return Status.UPCOMING
        if now < self.ends_at:
            return Status.OPEN
        return Status.ARCHIVED

    @property
    def status(self) -> Status:
        return self.status_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN


class Question(Moderated):
    """A question of the audience. `vote_count` is kept by `question_upvote` (in the vote's
    transaction, with F()) so the order by votes needs no COUNT over the votes."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ama_questions"
    )
    anonymous = models.BooleanField(_("ask anonymously"), default=False)
    text = models.TextField(_("question"), max_length=QUESTION_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-vote_count", "created_at", "pk"]
        indexes = [models.Index(fields=["session", "created_at"], name="ama_question_session")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return f"{self.session.get_absolute_url()}#question-{self.pk}"


class Vote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ama_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="ama_one_vote_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.question_id}"


class Answer(Moderated):
    """The host's answer to one question (one at most). Written by the host only: leader
    voice (DESIGN.md) — a delegate prepares drafts but never speaks in the executive's name."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="answer")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ama_answers"
    )
    text = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="ama_answer_created")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return self.question.get_absolute_url()
