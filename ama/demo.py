"""Demo ask-me-anything sessions, made through the services like real use (manage.py
seed_demo, after the history: the people and the charter exist): the CEO's archived session
of last week with its answered questions and votes, and an open one where questions wait
for their answers (one asked anonymously). Idempotent: a session whose title exists is not
made again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TextIO

from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from ama import services
from ama.models import Audience, Question, Session
from governance.selectors import charter_accepted, current_charter
from governance.services import charter_accept
from notifications.services import muted
from people.models import User


@dataclass(frozen=True)
class DemoQuestion:
    text: str
    anonymous: bool = False
    answer: str = ""
    votes: int = 0


@dataclass(frozen=True)
class DemoSession:
    host: str
    title: str
    description: str
    # Days from now when it opens (negative: in the past) and how long it lasts, in hours.
    opens_in_days: float
    hours: float
    questions: list[DemoQuestion]


SESSIONS = [
    DemoSession(
        host="camille.martin",
        title="Questions à la direction générale : bilan de l'année",
        description=(
            "Une heure pour revenir sur l'année : résultats, recrutements, télétravail. "
            "Posez vos questions, votez pour celles des autres : je réponds dans l'ordre."
        ),
        opens_in_days=-7,
        hours=2,
        questions=[
            DemoQuestion(
                "Les résultats de l'année permettent-ils une prime d'intéressement ?",
                answer=(
                    "Oui : l'accord d'intéressement se déclenche au-delà de 4 % de marge et "
                    "nous sommes à 5,2 %. Le montant sera communiqué en mars."
                ),
                votes=18,
            ),
            DemoQuestion(
                "Combien de recrutements sont prévus au service client l'an prochain ?",
                answer="Douze, dont quatre en alternance ; les offres paraissent en janvier.",
                votes=11,
            ),
            DemoQuestion(
                "Pourquoi les augmentations sont-elles décidées sans critères publiés ?",
                anonymous=True,
                answer=(
                    "C'est une critique juste. Les critères seront publiés avec la campagne "
                    "de février, par niveau de poste."
                ),
                votes=24,
            ),
            DemoQuestion("Le siège va-t-il déménager ?", votes=3),
        ],
    ),
    DemoSession(
        host="julien.moreau",
        title="Ask me anything : la nouvelle identité de marque",
        description=(
            "Avant le lancement de la nouvelle identité, je réponds à toutes vos questions "
            "sur le nom, le logo et ce qui change pour vos clients."
        ),
        opens_in_days=-0.05,
        hours=48,
        questions=[
            DemoQuestion("Faudra-t-il changer nos signatures d'e-mail ?", votes=7),
            DemoQuestion("Combien a coûté la nouvelle identité ?", anonymous=True, votes=12),
            DemoQuestion(
                "Les anciens supports commerciaux restent-ils utilisables ?",
                answer="Jusqu'au 31 mars ; les nouveaux modèles sont dans l'espace Marque.",
                votes=5,
            ),
        ],
    ),
]


ACTIVE_VERBS = (Verb.POSTED, Verb.COMMENTED, Verb.REPLIED, Verb.REACTED, Verb.STARTED_THREAD)


def seed(*, rng: random.Random, stdout: TextIO) -> None:
    made = 0
    with muted():  # the demo notifies nobody
        for spec in SESSIONS:
            made += _seed_one(spec, rng=rng)
    stdout.write(f"  ama: {made} new sessions")


def _accept_charter(person: User) -> None:
    charter = current_charter()
    if charter is not None and not charter_accepted(person, charter=charter):
        charter_accept(user=person, charter=charter)


def _seed_one(spec: DemoSession, *, rng: random.Random) -> int:
    host = User.objects.filter(username=spec.host, is_active=True).first()
    if host is None or Session.objects.filter(title=spec.title).exists():
        return 0
    now = timezone.now()
    starts = now + timedelta(days=spec.opens_in_days)
    # Those who take part are people already hired when the session opened (no event before
    # a hire) and already active in the month before it: an AMA draws the engaged, it does
    # not by itself make the demo's organisation Empowered (its curve ends at Scaling).
    active = ParticipationEvent.objects.filter(
        verb__in=ACTIVE_VERBS, occurred_at__gte=starts - timedelta(days=30), occurred_at__lt=starts
    ).values("actor_id")
    people = list(
        User.objects.filter(
            is_active=True,
            is_executive=False,
            is_superuser=False,
            date_joined__lt=starts,
            pk__in=active,
        ).order_by("pk")
    )
    if len(people) < 2:
        return 0
    _accept_charter(host)
    ends = starts + timedelta(hours=spec.hours)
    session = services.session_open(
        host=host,
        title=spec.title,
        description=spec.description,
        audience=Audience.EVERYONE,
        starts_at=starts,
        ends_at=ends,
        at=starts - timedelta(days=2),
    )
    # The session's own clock: each step happens inside the window, in order.
    step = (min(ends, now) - starts) / (len(spec.questions) * 3 + 2)
    clock = starts
    for spec_question in spec.questions:
        clock += step
        author = rng.choice(people)
        _accept_charter(author)
        question = services.question_ask(
            author=author,
            session=session,
            text=spec_question.text,
            anonymous=spec_question.anonymous,
            at=clock,
        )
        clock = _upvotes(question, spec_question.votes, people, rng=rng, at=clock, step=step)
    _answers(session, spec, host, at=clock, step=step)
    return 1


def _upvotes(
    question: Question,
    votes: int,
    people: list[User],
    *,
    rng: random.Random,
    at: datetime,
    step: timedelta,
) -> datetime:
    voters = [p for p in people if p.pk != question.author_id]
    for i, voter in enumerate(rng.sample(voters, min(votes, len(voters)))):
        services.question_upvote(
            voter=voter, question=question, at=at + step * (i + 1) / (votes + 1)
        )
    return at + step


def _answers(
    session: Session, spec: DemoSession, host: User, *, at: datetime, step: timedelta
) -> datetime:
    """The host answers in the order of the votes, as the page lists them."""
    answers = {q.text: q.answer for q in spec.questions if q.answer}
    for question in session.questions.select_related("session").order_by("-vote_count", "pk"):
        if question.text in answers:
            at += step / 2
            services.question_answer(
                host=host, question=question, text=answers[question.text], at=at
            )
    return at
