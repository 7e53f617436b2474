"""Demo data for the governance console: a few executives' questionnaires with their history
(two leaders answered twice, months apart, so that the summary shows how beliefs moved).

A seed step after `governance.demo` (manage.py seed_demo). Idempotent: nothing is added for an
executive who already answered.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from console import services
from console.models import QuestionnaireResponse
from console.questionnaire import QUESTIONS
from people.models import User

ANSWERS_FR = {
    "1": "Décloisonner les services et accélérer la circulation de l'information.",
    "2": "Écouter nos clients et montrer l'expertise de nos équipes.",
    "3": "Être lu et répondre moi-même aux questions de mes équipes.",
    "6": "Pas encore de cartographie formelle ; la plateforme commence à nous la donner.",
    "7": "Une charte d'usage, mais pas encore de politique éditoriale écrite.",
    "8": "Un calendrier des annonces de la communication interne seulement.",
    "9": "Je crois que oui, depuis la charte ; il faudra le vérifier.",
    "11": "La communauté Qualité, qui a réglé en deux semaines un problème vieux d'un an.",
    "12": "Un forum lancé sans animateur, abandonné au bout de trois mois.",
    "20": "Des gestionnaires de communauté dans chaque direction, pas une équipe centrale.",
    "24": "Oui, avec un cadre clair : tout le monde peut publier.",
    "27": "Très inégal selon les directions ; les Technologies sont en avance.",
}
ANSWERS_EN = {
    "1": "Break down silos and speed up how information flows.",
    "3": "Be read, and answer my teams' questions myself.",
    "6": "No formal map yet; the platform is starting to give us one.",
    "9": "Mostly, since the charter; to be checked.",
    "24": "Yes, within a clear frame.",
}


def seed(*, rng: random.Random, stdout: TextIO) -> None:
    answered = _seed_questionnaires(rng=rng)
    stdout.write(f"  governance console: {answered} new questionnaires")


def _seed_questionnaires(*, rng: random.Random) -> int:
    executives = list(User.objects.filter(is_executive=True, is_active=True).order_by("pk"))
    answered = set(QuestionnaireResponse.objects.values_list("respondent_id", flat=True).distinct())
    keys = [q.key for q in QUESTIONS]
    created = 0
    for index, executive in enumerate(executives[:4]):
        if executive.pk in answered:
            continue
        english = executive.preferred_language == "en"
        pool = ANSWERS_EN if english else ANSWERS_FR
        # Two dated fillings-in for the first two leaders: the history shows how beliefs moved.
        rounds = (
            [(150, "dormant" if index == 0 else "testing"), (12, None)]
            if index < 2
            else [(rng.randint(5, 40), None)]
        )
        for days_ago, stage in rounds:
            chosen = rng.sample(sorted(pool), k=min(len(pool), rng.randint(4, len(pool))))
            services.questionnaire_submit(
                respondent=executive,
                believed_stage=stage or rng.choice(["testing", "coordinating", "scaling"]),
                answers={key: pool[key] for key in chosen if key in keys},
                submitted_at=timezone.now() - timedelta(days=days_ago, hours=rng.randint(0, 8)),
            )
            created += 1
    return created
