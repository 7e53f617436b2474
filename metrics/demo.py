"""The demo's metrics: roll up the year of participation the demo's history wrote (through the
services: `ruche.demo_history`), then print the stage path.

The story it should tell (Forrester's scale, seed 001): a quiet start (Dormant), a few
enthusiasts in Marketing and IT (Testing), the charter and cross-department communities
(Coordinating), then most departments and the executives on board (Scaling) in the last weeks.
Adoption stays under United Business Media's 80 %: Empowered is the goal the dashboard
projects. Nothing is generated here: every figure comes from the events of real demo content.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from activity.models import ParticipationEvent
from metrics.models import DepartmentObjective, ScopeDay, Stage
from metrics.services import metrics_refresh, objective_set, yesterday
from people.models import Department

# The objectives the heads set (Forrester, seed 001: one metric per head, with the POST
# method's People, Objectives and Strategy). Service client had a first objective on
# responsiveness, then replaced it: its history shows both.
# (slug, metric, target, days to the target date, people, objectives, strategy)
OBJECTIVES = [
    (
        "service-client",
        "responsiveness",
        70.0,
        120,
        "Les conseillers du centre d’appels et les référents produits, répartis sur deux sites.",
        "Qu’aucune question d’un conseiller ne reste sans réponse plus d’une journée.",
        "Un référent de garde par jour dans la communauté « Questions clients ».",
    ),
    (
        "service-client",
        "cross_department",
        35.0,
        150,
        "Les conseillers du centre d’appels, en première ligne face aux clients.",
        "Faire remonter les irritants clients vers Technologies et Ventes, pas seulement "
        "entre nous.",
        "Chaque vendredi, un conseiller publie les trois irritants de la semaine et tague "
        "les services concernés.",
    ),
    (
        "marketing-communication",
        "adoption",
        80.0,
        180,
        "L’équipe marketing et les chargés de communication interne, déjà très présents.",
        "Atteindre 80 % de l’équipe engagée, comme United Business Media en un an.",
        "Chaque lancement produit est préparé dans une communauté ouverte aux ventes.",
    ),
    (
        "technologies",
        "contributors",
        12.0,
        90,
        "Les développeurs, l’infrastructure et le support, qui lisent beaucoup et écrivent peu.",
        "Que le savoir technique soit écrit une fois plutôt que répété dix fois.",
        "Un billet « ce que j’ai appris » par équipe et par sprint, relu par un pair.",
    ),
    (
        "ressources-humaines",
        "reached",
        20.0,
        120,
        "Les chargés de recrutement, la paie et la formation.",
        "Que chaque nouvel arrivant lise le parcours d’intégration dans son premier mois.",
        "Le parcours d’intégration publié en billets courts, un par semaine.",
    ),
]


def seed(*, rng: random.Random, stdout) -> None:
    first = (
        ParticipationEvent.objects.order_by("occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    if first is None:
        stdout.write("Metrics: no participation yet, nothing to roll up.")
        return
    end = yesterday()
    if ScopeDay.objects.exists():
        metrics_refresh(until=end)
    else:
        metrics_refresh(since=first, until=end)
    stdout.write("Metrics: stage path " + stage_path())
    objectives_seed(stdout=stdout)


def objectives_seed(*, stdout) -> None:
    """The heads' objectives, through the service (once: a re-run keeps the history as is)."""
    if DepartmentObjective.objects.exists():
        return
    departments = Department.objects.select_related("head").in_bulk(
        [row[0] for row in OBJECTIVES], field_name="slug"
    )
    today = timezone.localdate()
    for slug, metric, target, days, people, objectives, strategy in OBJECTIVES:
        department = departments[slug]
        objective_set(
            head=department.head,
            department=department,
            metric=metric,
            target=target,
            target_date=today + timedelta(days=days),
            people=people,
            objectives=objectives,
            strategy=strategy,
        )
    stdout.write(
        f"Metrics: {DepartmentObjective.objects.filter(superseded_at__isnull=True).count()} "
        "department objectives set by their heads"
    )


def stage_path() -> str:
    """The organisation's stages over the days rolled up, with the day each began."""
    path: list[tuple[object, str]] = []
    for day, stage in (
        ScopeDay.objects.filter(department_id__isnull=True)
        .order_by("day")
        .values_list("day", "stage")
    ):
        label = str(Stage(stage).label)
        if not path or path[-1][1] != label:
            path.append((day, label))
    return " → ".join(f"{label} ({day})" for day, label in path)


__all__ = ["seed", "stage_path"]
