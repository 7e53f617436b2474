"""Writes of ask-me-anything sessions: open a session, ask, upvote, answer. Each checks
permission, writes in one transaction with its participation event (activity `Verb`: opened_ama,
asked_question, upvoted, answered_question; metrics.definitions says how each counts), and
leaves the live frame and the notification to the commit. Hiding and restoring a question or
an answer goes through `governance.services.content_hide` / `content_restore`, like every kind
(ama.content registers how).

Anonymous questions keep their author everywhere the organisation answers for what was said
(the question row, its participation event, the audit entry written here); no page, frame or
notification shows the name to the audience (ama.selectors.author_label, question_payload).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from activity.services import event_record
from ama import live, permissions
from ama.models import (
    ANSWER_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    Answer,
    Audience,
    Question,
    Session,
    Status,
    Vote,
)
from communities.models import Community
from core.refusals import NotFound, Refusal
from governance.services import audit_record, charter_require
from notifications.services import broadcast_on_commit, notify
from people.models import Department, User


class AmaError(Refusal):
    """A refused write of ask-me-anything sessions, with a message for the person."""


def _clean(text: str) -> str:
    # NUL bytes are refused by PostgreSQL text columns; the rest is escaped when shown
    # (core.html.render_user_text), never stored as HTML.
    return (text or "").replace("\x00", "").strip()


def session_open(
    *,
    host: User,
    title: str,
    description: str = "",
    starts_at: datetime | None,
    ends_at: datetime | None,
    audience: str,
    departments: Iterable[Department] = (),
    community: Community | None = None,
    at: datetime | None = None,
) -> Session:
    """Open a session for [starts_at, ends_at) (an empty start: now). Executives and
    administrators address everyone or some departments; a community's managers its members."""
    now = at or timezone.now()
    if audience not in Audience.values:
        raise AmaError(_("Choose an audience."), field="audience")
    if audience == Audience.COMMUNITY and community is None:
        raise AmaError(_("Choose a community."), field="community")
    if not permissions.can_open_session(host, audience=audience, community=community):
        raise PermissionDenied
    charter_require(host)
    chosen = list(departments) if audience == Audience.DEPARTMENTS else []
    title = _clean(title)
    if not title:
        raise AmaError(_("Give the session a title."), field="title")
    if audience == Audience.DEPARTMENTS and not chosen:
        raise AmaError(_("Choose at least one department."), field="departments")
    starts = starts_at or now
    if ends_at is None:
        raise AmaError(_("Say when the session closes."), field="ends_at")
    if ends_at <= starts:
        raise AmaError(_("The session must close after it opens."), field="ends_at")
    if ends_at <= now:
        raise AmaError(_("The closing time has already passed."), field="ends_at")
    with transaction.atomic():
        session = Session.objects.create(
            host=host,
            title=title,
            description=_clean(description),
            starts_at=starts,
            ends_at=ends_at,
            audience=audience,
            community=community if audience == Audience.COMMUNITY else None,
            created_at=now,
        )
        session.departments.set(chosen)
        audit_record(
            actor=host,
            action="ama_session.opened",
            target=session,
            after={
                "audience": audience,
                "starts_at": starts.isoformat(),
                "ends_at": ends_at.isoformat(),
            },
        )
        event_record(
            actor=host,
            verb=Verb.OPENED_AMA,
            obj=session,
            community_id=session.community_id,
            occurred_at=now,
        )
    return session


def _refuse_closed(session: Session, now: datetime) -> None:
    status = session.status_at(now)
    if status == Status.UPCOMING:
        raise AmaError(_("This session has not opened yet."))
    if status == Status.ARCHIVED:
        raise AmaError(_("This session is closed: it is kept as an archive."))


def question_ask(
    *,
    author: User,
    session: Session,
    text: str,
    anonymous: bool = False,
    at: datetime | None = None,
) -> Question:
    """Ask the host a question, under one's name or anonymously to the audience."""
    now = at or timezone.now()
    if not permissions.can_view_session(author, session):
        raise NotFound(_("This session does not exist."))
    if permissions.is_host(author, session):
        raise AmaError(_("You host this session: you answer its questions."), status=403)
    if not permissions.in_audience(author, session):
        raise AmaError(_("This session is not addressed to you."), status=403)
    _refuse_closed(session, now)
    charter_require(author)
    text = _clean(text)
    if not text:
        raise AmaError(_("Write your question."), field="text")
    if len(text) > QUESTION_MAX_LENGTH:
        raise AmaError(
            _("Your question is too long (at most %(limit)d characters).")
            % {"limit": QUESTION_MAX_LENGTH},
            field="text",
        )
    with transaction.atomic():
        question = Question.objects.create(
            session=session, author=author, anonymous=anonymous, text=text, created_at=now
        )
        if anonymous:
            # The audit log always knows who asked (moderation, and the charter's rules).
            audit_record(
                actor=author,
                action="ama_question.asked_anonymously",
                target=question,
                after={"session": session.pk, "author": author.pk},
            )
        event_record(
            actor=author,
            verb=Verb.ASKED_QUESTION,
            obj=question,
            community_id=session.community_id,
            target_user=session.host,
            occurred_at=now,
        )
        broadcast_on_commit(lambda: live.broadcast_question(question, event="created"))
    return question


def question_upvote(*, voter: User, question: Question, at: datetime | None = None) -> Vote:
    """One upvote per person and question, never on one's own or an answered question."""
    now = at or timezone.now()
    session = question.session
    if not permissions.can_view_question(voter, question):
        raise NotFound(_("This question does not exist."))
    if not permissions.in_audience(voter, session):
        raise AmaError(_("This session is not addressed to you."), status=403)
    _refuse_closed(session, now)
    if question.author_id == voter.pk:
        raise AmaError(_("You cannot upvote your own question."), status=403)
    if question.hidden_at is not None:
        raise AmaError(_("This question was hidden by moderation."), status=403)
    if permissions.is_answered(question):
        raise AmaError(_("This question has been answered."))
    try:
        with transaction.atomic():
            vote = Vote.objects.create(question=question, user=voter, created_at=now)
            Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
            event_record(
                actor=voter,
                verb=Verb.UPVOTED,
                obj=question,
                community_id=session.community_id,
                target_user=question.author,
                occurred_at=now,
            )
            broadcast_on_commit(lambda: live.broadcast_question(question, event="changed"))
    except IntegrityError:
        # The unique vote: a second click (or two at once) counts nothing twice.
        raise AmaError(_("You have already upvoted this question.")) from None
    return vote


def question_answer(
    *, host: User, question: Question, text: str, at: datetime | None = None
) -> Answer:
    """The host answers a question (once); its author is told in the notification centre."""
    now = at or timezone.now()
    session = question.session
    if not permissions.can_view_question(host, question):
        raise NotFound(_("This question does not exist."))
    if not permissions.is_host(host, session):
        raise AmaError(_("Only the host of the session answers its questions."), status=403)
    _refuse_closed(session, now)
    if question.hidden_at is not None:
        raise AmaError(_("This question was hidden by moderation."), status=403)
    charter_require(host)
    text = _clean(text)
    if not text:
        raise AmaError(_("Write your answer."), field="text")
    if len(text) > ANSWER_MAX_LENGTH:
        raise AmaError(
            _("Your answer is too long (at most %(limit)d characters).")
            % {"limit": ANSWER_MAX_LENGTH},
            field="text",
        )
    with transaction.atomic():
        # The question row locked: two answers sent at once make one answer, not an error.
        Question.objects.select_for_update().filter(pk=question.pk).first()
        if Answer.objects.filter(question=question).exists():
            raise AmaError(_("This question has been answered."))
        answer = Answer.objects.create(question=question, author=host, text=text, created_at=now)
        question.answer = answer
        event_record(
            actor=host,
            verb=Verb.ANSWERED_QUESTION,
            obj=question,
            community_id=session.community_id,
            target_user=question.author,
            occurred_at=now,
        )
        notify(
            recipients=[question.author],
            kind="answer",
            actor=host,
            target=question,
            url=question.get_absolute_url(),
            summary=(
                _("%(name)s answered your question in “%(title)s”"),
                {"name": host.name, "title": session.title},
            ),
        )
        broadcast_on_commit(lambda: live.broadcast_question(question, event="changed"))
    return answer
