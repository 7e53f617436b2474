"""What the platform layers know about ask-me-anything sessions (`core.content`): the kinds
"ama_session", "ama_question" and "ama_answer", with their visibility (ama.permissions, the
same rules as the pages), their moderation (questions and answers are hidden and restored by
`governance.services.content_hide` / `content_restore`, then the session page hears of it
live), and the sessions' windows on the editorial calendar. Registered from
`AmaConfig.ready()`.

A question's `author` is given to moderation (the author is told why it was hidden, and the
moderators know who asked); its `excerpt` is its text, never its author, so reports and the
moderation queue show an anonymous question as anonymous to anyone but moderators.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ama import live, permissions, selectors
from ama.models import Answer, Question, Session
from core import content
from core.content import CalendarEntry, ContentKind, Label
from people.models import User

SESSION_KEY = "ama_session"
QUESTION_KEY = "ama_question"
ANSWER_KEY = "ama_answer"
PLACE = "ama"
CALENDAR_LIMIT = 500


def _load_session(pk: int) -> Session | None:
    return Session.objects.select_related("host", "community").filter(pk=pk).first()


def _load_question(pk: int) -> Question | None:
    return (
        Question.objects.select_related("author", "session__host", "session__community")
        .filter(pk=pk)
        .first()
    )


def _load_answer(pk: int) -> Answer | None:
    return (
        Answer.objects.select_related(
            "author", "question__author", "question__session__host", "question__session__community"
        )
        .filter(pk=pk)
        .first()
    )


def _hide(obj: Question | Answer, *, actor: User, reason: str) -> None:
    obj.moderation_hide(actor=actor, reason=reason)


def _restore(obj: Question | Answer, *, actor: User) -> None:
    obj.moderation_restore(actor=actor)


def _question_moderated(question: Question) -> None:
    live.broadcast_question(question, event="changed")


def _answer_moderated(answer: Answer) -> None:
    live.broadcast_question(answer.question, event="changed")


def calendar_places(user: User) -> list[tuple[str, Label]]:
    return [(PLACE, _("Ask-me-anything sessions"))]


def calendar_entries(user: User, start: date, end: date) -> list[CalendarEntry]:
    """The sessions opening in the local days [start, end) that `user` may see. One query."""
    if not (user.is_authenticated and user.is_active):
        return []
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, time.min), tz)
    until = timezone.make_aware(datetime.combine(end, time.min), tz)
    now = timezone.now()
    return [
        CalendarEntry(
            title=session.title,
            at=session.starts_at,
            url=session.get_absolute_url(),
            kind=SESSION_KEY,
            place=PLACE,
            place_label=_("Ask-me-anything sessions"),
            author=session.host,
            scheduled=session.starts_at > now,
        )
        for session in selectors.calendar_sessions(user, since, until)[:CALENDAR_LIMIT]
    ]


def _kinds() -> list[ContentKind]:
    return [
        ContentKind(
            key=SESSION_KEY,
            model=Session,
            label=pgettext_lazy("content kind", "ask-me-anything session"),
            load=_load_session,
            visible_to=permissions.can_view_session,
            can_moderate=lambda user, session: bool(
                user.is_authenticated and user.is_active and user.is_superuser
            ),
            author=lambda session: session.host,
            community_id=lambda session: session.community_id,
            excerpt=lambda session: session.title,
            url=lambda session: session.get_absolute_url(),
            # A session is its host's word, like an announcement: its questions are moderated.
            hide=None,
            restore=None,
            is_hidden=lambda session: False,
            calendar_places=calendar_places,
            calendar_entries=calendar_entries,
        ),
        ContentKind(
            key=QUESTION_KEY,
            model=Question,
            label=pgettext_lazy("content kind", "question"),
            load=_load_question,
            visible_to=permissions.can_view_question,
            can_moderate=lambda user, question: permissions.can_moderate_session(
                user, question.session
            ),
            author=lambda question: question.author,
            community_id=lambda question: question.session.community_id,
            excerpt=lambda question: question.text[:200],
            url=lambda question: question.get_absolute_url(),
            hide=_hide,
            restore=_restore,
            after_moderation=_question_moderated,
        ),
        ContentKind(
            key=ANSWER_KEY,
            model=Answer,
            label=pgettext_lazy("content kind", "answer"),
            load=_load_answer,
            visible_to=permissions.can_view_answer,
            can_moderate=lambda user, answer: permissions.can_moderate_session(
                user, answer.question.session
            ),
            author=lambda answer: answer.author,
            community_id=lambda answer: answer.question.session.community_id,
            excerpt=lambda answer: answer.text[:200],
            url=lambda answer: answer.get_absolute_url(),
            hide=_hide,
            restore=_restore,
            after_moderation=_answer_moderated,
        ),
    ]


def register_all() -> None:
    for kind in _kinds():
        content.register(kind)
