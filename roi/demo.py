"""The demo's ROI worksheet (manage.py seed_demo, after the metrics): two versions made
through the service like real use: the administrator's first estimate, then the CEO's revision
after the steering committee (a higher hourly cost, a training line, one more intangible
benefit). Idempotent: nothing is written once the worksheet has a version.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from people.models import User
from roi.models import LineKind, Period, WorksheetVersion
from roi.services import LineInput, worksheet_version_save

FIRST = {
    "currency": "EUR",
    "hourly_cost": Decimal("45"),
    "minutes_per_answer": Decimal("25"),
    "minutes_per_connection": Decimal("10"),
    "hours_per_newcomer": Decimal("6"),
    "minutes_per_person_reached": Decimal("5"),
    "licence_cost_per_year": Decimal("18000"),
    "staff_cost_per_year": Decimal("42000"),
}
FIRST_LINES = [
    LineInput(LineKind.COST, "Hébergement et sauvegardes", Decimal("350"), Period.MONTH),
    LineInput(
        LineKind.COST, "Intégration à l’annuaire (prestataire)", Decimal("6000"), Period.ONE_OFF
    ),
    LineInput(
        LineKind.BENEFIT, "Lettre d’information imprimée supprimée", Decimal("9600"), Period.YEAR
    ),
    LineInput(LineKind.INTANGIBLE, "Les services se connaissent et se parlent (moins de silos)"),
    LineInput(LineKind.INTANGIBLE, "Les dirigeants entendent directement les équipes"),
]
SECOND_LINES = [
    *FIRST_LINES,
    LineInput(
        LineKind.COST, "Formation des animateurs de communautés", Decimal("4500"), Period.YEAR
    ),
    LineInput(LineKind.INTANGIBLE, "Les idées des équipes remontent plus vite (innovation)"),
]


def seed(*, rng: random.Random, stdout: TextIO) -> None:
    if WorksheetVersion.objects.exists():
        stdout.write("  ROI worksheet: already filled")
        return
    admin = User.objects.filter(username="admin", is_active=True).first()
    ceo = User.objects.filter(username="camille.martin", is_active=True).first()
    if admin is None or ceo is None:
        stdout.write("  ROI worksheet: the demo log-ins are missing, nothing written")
        return
    now = timezone.now()
    worksheet_version_save(
        actor=admin,
        assumptions=FIRST,
        lines=FIRST_LINES,
        note="Première estimation pour le comité de direction",
        at=now - timedelta(days=21),
    )
    worksheet_version_save(
        actor=ceo,
        assumptions={**FIRST, "hourly_cost": Decimal("52")},
        lines=SECOND_LINES,
        note="Coût horaire chargé revu avec la finance ; formation ajoutée",
        at=now - timedelta(days=3),
    )
    stdout.write("  ROI worksheet: 2 versions")
