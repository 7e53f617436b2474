"""Reads of ask-me-anything sessions, with their visibility: the sessions a person may see
(by status), a session's questions in the host's order, and what the audience may know of
each question (an anonymous one says "Anonymous colleague" to everyone but its author and the
moderators). Pages, the calendar, the live frames and their resync all read through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ama import permissions
from ama.models import Audience, Question, Session, Vote
from communities.models import MembershipState
from people.models import User

LIST_LIMIT = 50
# A session's page shows at most this many questions (the most upvoted first).
QUESTION_LIMIT = 300


def _audience_q(user: User) -> Q:
    """The sessions addressed to `user`, or hosted by them, as one filter (no join fan-out:
    the department and membership conditions are subqueries)."""
    departments = Session.departments.through.objects.filter(
        session_id=OuterRef("pk"), department_id=user.department_id or 0
    )
    members = Session.objects.filter(
        pk=OuterRef("pk"),
        community__memberships__user_id=user.pk,
        community__memberships__state=MembershipState.ACTIVE,
    )
    return (
        Q(host_id=user.pk)
        | Q(audience=Audience.EVERYONE)
        | Q(Exists(departments), audience=Audience.DEPARTMENTS)
        | Q(Exists(members), audience=Audience.COMMUNITY)
    )


def visible_sessions(user: User | AnonymousUser) -> QuerySet[Session]:
    if not (user.is_authenticated and user.is_active and isinstance(user, User)):
        return Session.objects.none()
    sessions = Session.objects.select_related("host", "community")
    if user.is_superuser:
        return sessions
    return sessions.filter(_audience_q(user))


@dataclass(frozen=True)
class SessionLists:
    open: list[Session]
    upcoming: list[Session]
    archived: list[Session]


def sessions_by_status(user: User | AnonymousUser, *, now: datetime | None = None) -> SessionLists:
    """Open (closing first), upcoming (soonest first), archived (latest first): three queries."""
    now = now or timezone.now()
    visible = visible_sessions(user)
    return SessionLists(
        open=list(
            visible.filter(starts_at__lte=now, ends_at__gt=now).order_by("ends_at", "pk")[
                :LIST_LIMIT
            ]
        ),
        upcoming=list(visible.filter(starts_at__gt=now).order_by("starts_at", "pk")[:LIST_LIMIT]),
        archived=list(visible.filter(ends_at__lte=now).order_by("-ends_at", "-pk")[:LIST_LIMIT]),
    )


def questions_of(session: Session, user: User) -> QuerySet[Question]:
    """The questions of `session` that `user` may see, with their author and answer joined and
    whether `user` upvoted each (`voted`): one query for the whole list."""
    questions = Question.objects.filter(session=session).select_related(
        "author", "answer", "answer__author"
    )
    if not permissions.can_moderate_session(user, session):
        questions = questions.filter(Q(hidden_at__isnull=True) | Q(author_id=user.pk))
    voted = Vote.objects.filter(question=OuterRef("pk"), user_id=user.pk)
    return questions.annotate(voted=Exists(voted)).order_by("-vote_count", "created_at", "pk")


@dataclass(frozen=True)
class Board:
    """A session's questions as the host answers them: open ones by votes then time, answered
    ones apart (latest answer first)."""

    waiting: list[Question]
    answered: list[Question]


def board(session: Session, user: User) -> Board:
    questions = list(questions_of(session, user)[:QUESTION_LIMIT])
    waiting: list[Question] = []
    answered: list[Question] = []
    for question in questions:
        question.session = session  # the permission checks below read it: no query
        (answered if permissions.is_answered(question) else waiting).append(question)
    answered.sort(key=lambda q: q.answer.created_at, reverse=True)
    return Board(waiting=waiting, answered=answered)


def shows_names(user: User | AnonymousUser, session: Session) -> bool:
    return permissions.can_moderate_session(user, session)


def author_label(question: Question, viewer: User | AnonymousUser, *, names: bool) -> str:
    """What `viewer` reads as the author: the name, or "Anonymous colleague" to everyone but
    the author (who reads it with "you") and, when `names`, the moderators (who read both)."""
    if not question.anonymous:
        return question.author.name
    if question.author_id == viewer.pk:
        return _("Anonymous colleague (you)")
    if names:
        return _("Anonymous colleague (%(name)s)") % {"name": question.author.name}
    return _("Anonymous colleague")


def question_payload(question: Question) -> dict[str, Any]:
    """What every viewer of the session may know of a question, for live frames and their
    resync: never an anonymous author's name, never a hidden question's text. The page's
    script writes "Anonymous colleague" in the reader's language when `author` is None."""
    if question.hidden_at is not None:
        return {"id": question.pk, "hidden": True}
    answer = getattr(question, "answer", None) if permissions.is_answered(question) else None
    return {
        "id": question.pk,
        "hidden": False,
        "text": question.text,
        "author": None if question.anonymous else question.author.name,
        "votes": question.vote_count,
        "created_at": question.created_at.isoformat(),
        # A hidden answer says only that it was hidden: the question stays answered.
        "answer": (
            None
            if answer is None
            else {"hidden": True}
            if answer.hidden_at is not None
            else {"hidden": False, "text": answer.text, "created_at": answer.created_at.isoformat()}
        ),
    }


def session_state(session: Session) -> list[dict[str, Any]]:
    """Every question of the session as the audience sees it (the resync of a live page)."""
    questions = (
        Question.objects.filter(session=session)
        .select_related("author", "answer")
        .order_by("-vote_count", "created_at", "pk")[:QUESTION_LIMIT]
    )
    return [question_payload(q) for q in questions]


def calendar_sessions(user: User, since: datetime, until: datetime) -> QuerySet[Session]:
    """Sessions opening in [since, until) that `user` may see."""
    return (
        visible_sessions(user)
        .filter(starts_at__gte=since, starts_at__lt=until)
        .order_by("starts_at", "pk")
    )
