"""The writes of ask-me-anything sessions: opening, asking (anonymously too), upvoting once,
answering; each with its participation event, and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from ama import services
from ama.models import Audience, Question, Status, Vote
from core.refusals import NotFound
from governance.exceptions import CharterNotAccepted
from governance.models import AuditEntry
from notifications.models import Notification
from tests.ama.conftest import open_session
from tests.factories import UserFactory
from tests.governance.factories import PublishedCharterFactory

pytestmark = pytest.mark.django_db


def events(verb):
    return ParticipationEvent.objects.filter(verb=verb)


def test_open_records_audit_and_event(executive):
    session = open_session(executive)
    assert session.status == Status.OPEN
    assert events(Verb.OPENED_AMA).get().actor == executive
    assert AuditEntry.objects.filter(
        action="ama_session.opened", target_id=str(session.pk)
    ).exists()


def test_who_may_open(employee, executive, manager, community, sales):
    with pytest.raises(PermissionDenied):
        open_session(employee)
    with pytest.raises(PermissionDenied):  # a manager, but not of everyone
        open_session(manager)
    session = open_session(manager, audience=Audience.COMMUNITY, community=community)
    assert session.community == community
    with pytest.raises(PermissionDenied):  # an executive is not the community's manager
        open_session(executive, audience=Audience.COMMUNITY, community=community)
    assert open_session(executive, audience=Audience.DEPARTMENTS, departments=[sales])


def test_bad_input_writes_nothing(executive):
    now = timezone.now()
    cases = [
        ({"title": "  "}, "title"),
        ({"audience": Audience.DEPARTMENTS}, "departments"),
        ({"ends_at": now - timedelta(hours=2), "starts_at": now - timedelta(hours=1)}, "ends_at"),
        ({"ends_at": now - timedelta(hours=2)}, "ends_at"),
        ({"ends_at": None}, "ends_at"),
        ({"audience": "nobody"}, "audience"),
    ]
    for changes, field in cases:
        with pytest.raises(services.AmaError) as refused:
            open_session(executive, **changes)
        assert refused.value.field == field
    assert not events(Verb.OPENED_AMA).exists()


def test_ask_anonymously_keeps_the_author_for_metrics_and_audit(session, employee):
    question = services.question_ask(
        author=employee, session=session, text="Quid des primes ?", anonymous=True
    )
    event = events(Verb.ASKED_QUESTION).get()
    assert event.actor == employee and event.target_user_id == session.host_id
    entry = AuditEntry.objects.get(action="ama_question.asked_anonymously")
    assert entry.actor == employee and entry.target_id == str(question.pk)


def test_ask_refusals(session, executive, employee):
    with pytest.raises(services.AmaError) as refused:
        services.question_ask(author=executive, session=session, text="Moi ?")
    assert refused.value.status == 403
    with pytest.raises(services.AmaError) as refused:
        services.question_ask(author=employee, session=session, text="   ")
    assert refused.value.field == "text"
    with pytest.raises(services.AmaError):
        services.question_ask(author=employee, session=session, text="x" * 1001)
    later = timezone.now() + timedelta(hours=2)
    with pytest.raises(services.AmaError, match="archive"):
        services.question_ask(author=employee, session=session, text="Trop tard", at=later)
    assert not Question.objects.exists()


def test_ask_before_opening_is_refused(executive, employee):
    now = timezone.now()
    session = open_session(
        executive, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1)
    )
    assert session.status == Status.UPCOMING
    with pytest.raises(services.AmaError, match="not opened"):
        services.question_ask(author=employee, session=session, text="Déjà ?")


def test_outside_the_audience_does_not_exist(executive, seller, accountant, sales):
    session = open_session(executive, audience=Audience.DEPARTMENTS, departments=[sales])
    with pytest.raises(NotFound):
        services.question_ask(author=accountant, session=session, text="Et nous ?")
    question = services.question_ask(author=seller, session=session, text="Objectifs ?")
    with pytest.raises(NotFound):
        services.question_upvote(voter=accountant, question=question)


def test_charter_gate(session, employee):
    PublishedCharterFactory()
    with pytest.raises(CharterNotAccepted):
        services.question_ask(author=employee, session=session, text="Charte ?")
    assert not Question.objects.exists()


def test_upvote_once_not_own(session, employee, colleague):
    question = services.question_ask(author=employee, session=session, text="Télétravail ?")
    services.question_upvote(voter=colleague, question=question)
    question.refresh_from_db()
    assert question.vote_count == 1
    with pytest.raises(services.AmaError, match="already"):
        services.question_upvote(voter=colleague, question=question)
    with pytest.raises(services.AmaError) as refused:
        services.question_upvote(voter=employee, question=question)
    assert refused.value.status == 403
    question.refresh_from_db()
    assert question.vote_count == 1 and Vote.objects.count() == 1
    event = events(Verb.UPVOTED).get()
    assert event.actor == colleague and event.target_user_id == employee.pk


def test_answer_by_the_host_only_once_and_notified(session, executive, employee, colleague):
    question = services.question_ask(author=employee, session=session, text="Recrutements ?")
    with pytest.raises(services.AmaError) as refused:
        services.question_answer(host=colleague, question=question, text="Je ne suis pas l'hôte")
    assert refused.value.status == 403
    with pytest.raises(services.AmaError) as refused:
        services.question_answer(host=executive, question=question, text="  ")
    assert refused.value.field == "text"
    services.question_answer(host=executive, question=question, text="Dix postes ouverts.")
    with pytest.raises(services.AmaError, match="answered"):
        services.question_answer(host=executive, question=question, text="Encore")
    with pytest.raises(services.AmaError, match="answered"):
        services.question_upvote(voter=colleague, question=Question.objects.get(pk=question.pk))
    event = events(Verb.ANSWERED_QUESTION).get()
    assert event.actor == executive and event.target_user_id == employee.pk
    notification = Notification.objects.get(recipient=employee, kind="answer")
    assert session.title in notification.summary


def test_delegate_cannot_answer(session, employee):
    """Leader voice: even the executive's delegate does not answer in their name."""
    from blogs.models import Delegation

    delegate = UserFactory(username="assistant")
    Delegation.objects.create(executive=session.host, delegate=delegate)
    question = services.question_ask(author=employee, session=session, text="Qui répond ?")
    with pytest.raises(services.AmaError):
        services.question_answer(host=delegate, question=question, text="Moi")
