"""Who may do what with ask-me-anything sessions. `can_<verb>_<entity>(user, obj) -> bool`;
the views, the services, the consumer and the registry (`visible_to`) all ask these.

- Open a session: executives and administrators, to everyone or to some departments; a
  community's managers (administrators included), to that community's members.
- See a session and its questions: its audience (everyone; the people of the chosen
  departments; the active members of the community), its host and administrators. To anyone
  else it does not exist (404), in lists, the calendar, notifications and websockets alike.
- Ask: the audience (not the host), while the session is open (the charter gate is the
  service's, `governance.services.charter_require`).
- Upvote: the audience, while open, a visible question not yet answered, not one's own, once.
- Answer: the host only, while open, a visible question not yet answered (leader voice: a
  delegate never answers in an executive's name).
- Moderate, and know who asked anonymously: administrators and the managers of the
  session's community. Not the host: an anonymous question is anonymous to the person asked.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from ama.models import Answer, Audience, Question, Session, Status
from communities.models import Community, Membership, MembershipState, Role
from communities.permissions import can_manage_community, is_active_member
from people.models import User

# Cached on a session object: the ids of its departments (one query per session at most).
_DEPARTMENTS_CACHE = "_ama_department_ids"


def _active(user: User | AnonymousUser) -> bool:
    return _person(user) is not None


def _person(user: User | AnonymousUser) -> User | None:
    """The active account, or None (anonymous visitors, deactivated accounts)."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def can_open_session(
    user: User | AnonymousUser, *, audience: str, community: Community | None = None
) -> bool:
    person = _person(user)
    if person is None:
        return False
    if audience == Audience.COMMUNITY:
        return community is not None and can_manage_community(person, community)
    return bool(person.is_superuser or person.is_executive)


def may_open_some_session(user: User | AnonymousUser) -> bool:
    """Whether the "open a session" form is offered: an executive, an administrator or a
    manager of at least one community."""
    person = _person(user)
    if person is None:
        return False
    if person.is_superuser or person.is_executive:
        return True
    return Membership.objects.filter(
        user=person, role=Role.MANAGER, state=MembershipState.ACTIVE
    ).exists()


def department_ids(session: Session) -> set[int]:
    cached: set[int] | None = getattr(session, _DEPARTMENTS_CACHE, None)
    if cached is None:
        cached = set(session.departments.values_list("pk", flat=True))
        setattr(session, _DEPARTMENTS_CACHE, cached)
    return cached


def in_audience(user: User | AnonymousUser, session: Session) -> bool:
    """Whether `user` is among the people the session is addressed to (the host is not)."""
    person = _person(user)
    if person is None:
        return False
    if session.audience == Audience.EVERYONE:
        return True
    if session.audience == Audience.DEPARTMENTS:
        return person.department_id is not None and person.department_id in department_ids(session)
    return session.community is not None and is_active_member(person, session.community)


def is_host(user: User | AnonymousUser, session: Session) -> bool:
    return _active(user) and session.host_id == user.pk


def can_view_session(user: User | AnonymousUser, session: Session) -> bool:
    if not _active(user):
        return False
    return bool(user.is_superuser) or is_host(user, session) or in_audience(user, session)


def can_moderate_session(user: User | AnonymousUser, session: Session) -> bool:
    """Hide and restore its questions and answers, and see who asked anonymously."""
    person = _person(user)
    if person is None:
        return False
    if person.is_superuser:
        return True
    if is_host(person, session):
        return False
    return session.community is not None and can_manage_community(person, session.community)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def can_ask_question(
    user: User | AnonymousUser, session: Session, *, now: datetime | None = None
) -> bool:
    return (
        in_audience(user, session)
        and not is_host(user, session)
        and (session.status_at(_now(now)) == Status.OPEN)
    )


def can_view_question(user: User | AnonymousUser, question: Question) -> bool:
    """A hidden question stays visible to its author and the moderators only."""
    if not can_view_session(user, question.session):
        return False
    if question.hidden_at is None:
        return True
    return question.author_id == user.pk or can_moderate_session(user, question.session)


def can_view_answer(user: User | AnonymousUser, answer: Answer) -> bool:
    if not can_view_question(user, answer.question):
        return False
    if answer.hidden_at is None:
        return True
    return answer.author_id == user.pk or can_moderate_session(user, answer.question.session)


def is_answered(question: Question) -> bool:
    """Whether the question has an answer (free when loaded with select_related("answer"):
    the reverse one-to-one is cached, its absence included)."""
    try:
        question.answer  # noqa: B018 - the access is the check
    except Answer.DoesNotExist:
        return False
    return True


def can_upvote_question(
    user: User | AnonymousUser, question: Question, *, now: datetime | None = None
) -> bool:
    """The rule without the "once" (the unique vote, checked by the service)."""
    return (
        in_audience(user, question.session)
        and question.author_id != user.pk
        and question.hidden_at is None
        and question.session.status_at(_now(now)) == Status.OPEN
        and not is_answered(question)
    )


def can_answer_question(
    user: User | AnonymousUser, question: Question, *, now: datetime | None = None
) -> bool:
    return (
        is_host(user, question.session)
        and question.hidden_at is None
        and question.session.status_at(_now(now)) == Status.OPEN
        and not is_answered(question)
    )


def access_session(user: User | AnonymousUser, session_id: int) -> Session:
    """The session if `user` may see it; otherwise 404, so that a session addressed to others
    does not even reveal that it exists."""
    session = Session.objects.select_related("host", "community").filter(pk=session_id).first()
    if session is None or not can_view_session(user, session):
        raise Http404
    return session


def access_question(user: User | AnonymousUser, session: Session, question_id: int) -> Question:
    """A question of `session` that `user` may see (the session already accessed), else 404."""
    question = (
        Question.objects.select_related("author").filter(pk=question_id, session=session).first()
    )
    if question is None:
        raise Http404
    question.session = session
    if not can_view_question(user, question):
        raise Http404
    return question


def session_for_socket(user: User, session_id: int) -> Session | None:
    """The session a websocket may follow, or None (the consumer closes with 4403)."""
    session = Session.objects.select_related("community").filter(pk=session_id).first()
    if session is None or not can_view_session(user, session):
        return None
    return session
