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

from activity.models import ParticipationEvent
from metrics.models import ScopeDay, Stage
from metrics.services import metrics_refresh, yesterday


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
