"""Demo announcements, made through the services like real use (manage.py seed_demo, after
the history): the communications role for the internal communications officer, a must-read
announcement of the CEO to everyone (half the company has acknowledged it, the demo log-ins
not yet, so it is pinned on their home), one to two departments, one to a community's
members, an informative one without acknowledgement, and a scheduled one on the editorial
calendar. Idempotent: an announcement whose title exists is not made again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TextIO

from django.utils import timezone

from announcements import services
from announcements.models import Announcement, Audience, Receipt
from communities.models import Community
from console.services import role_set
from governance.selectors import charter_accepted, current_charter
from governance.services import charter_accept
from notifications.services import muted
from people.models import Department, User

# The demo log-ins who find the CEO's announcement pinned on their first visit.
STILL_TO_READ = {"thomas.bernard", "emily.clarke", "sophie.laurent", "julien.moreau", "admin"}


@dataclass(frozen=True)
class DemoAnnouncement:
    author: str
    title: str
    body: str
    audience: str
    days_ago: float
    requires_ack: bool = True
    deadline_days: float | None = None
    departments: list[str] = field(default_factory=list)
    community: str = ""
    read_share: float = 0.0


ANNOUNCEMENTS = [
    DemoAnnouncement(
        author="camille.martin",
        title="Nouvelle politique de télétravail à partir du 1er janvier",
        body=(
            "Après six mois d'essai et vos nombreux retours dans la communauté Télétravail, "
            "nous généralisons deux jours de télétravail par semaine pour tous les postes qui "
            "le permettent.\n\nLa politique complète précise les jours de présence d'équipe, "
            "l'équipement fourni et le droit à la déconnexion. Merci de la lire et de "
            "confirmer votre lecture avant la fin du mois : vos managers organiseront les "
            "plannings d'équipe en janvier."
        ),
        audience=Audience.EVERYONE,
        days_ago=3,
        deadline_days=10,
        read_share=0.55,
    ),
    DemoAnnouncement(
        author="sophie.laurent",
        title="Déménagement du plateau du service client",
        body=(
            "Le service client et les opérations s'installent au 3e étage le lundi 14. Les "
            "postes seront prêts dès 8 h ; vos affaires seront déplacées le vendredi soir. "
            "Pensez à étiqueter vos caissons avant jeudi."
        ),
        audience=Audience.DEPARTMENTS,
        departments=["service-client", "operations"],
        days_ago=1.5,
        deadline_days=4,
        read_share=0.35,
    ),
    DemoAnnouncement(
        author="sophie.laurent",
        title="Fermeture du restaurant d'entreprise le 24 décembre",
        body=(
            "Le restaurant d'entreprise sera fermé le 24 décembre. Des paniers repas seront "
            "proposés à l'accueil le 23 au soir."
        ),
        audience=Audience.EVERYONE,
        days_ago=6,
        requires_ack=False,
    ),
    DemoAnnouncement(
        author="camille.martin",
        title="Résultats de l'enquête de satisfaction : le plan d'action",
        body=(
            "Merci à tous les membres de la communauté Qualité pour l'analyse des verbatims. "
            "Le plan d'action en cinq points est en ligne : chacun de vous pilote au moins une "
            "action, merci d'en prendre connaissance."
        ),
        audience=Audience.COMMUNITY,
        community="qualite-satisfaction",
        days_ago=2,
        read_share=0.5,
    ),
    DemoAnnouncement(
        author="julien.moreau",
        title="Lancement de la nouvelle identité de marque",
        body=(
            "La nouvelle identité de marque sera dévoilée à tous lors de la réunion générale. "
            "Les modèles de présentation et la charte graphique seront disponibles le jour même."
        ),
        audience=Audience.EVERYONE,
        days_ago=-5,  # scheduled: on the editorial calendar, published by the beat task
        deadline_days=14,
    ),
]


def seed(*, rng: random.Random, stdout: TextIO) -> None:
    made = 0
    with muted():  # the demo notifies nobody (its e-mail stays off too)
        _grant_communications_role()
        for spec in ANNOUNCEMENTS:
            made += _seed_one(spec, rng=rng)
    stdout.write(f"  announcements: {made} new")


def _grant_communications_role() -> None:
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    officer = User.objects.filter(username="sophie.laurent", is_active=True).first()
    if admin is not None and officer is not None:
        role_set(actor=admin, person=officer, role="communications", granted=True)


def _seed_one(spec: DemoAnnouncement, *, rng: random.Random) -> int:
    author = User.objects.filter(username=spec.author, is_active=True).first()
    if author is None or Announcement.objects.filter(title=spec.title).exists():
        return 0
    community = Community.objects.filter(slug=spec.community).first() if spec.community else None
    if spec.community and community is None:
        return 0
    charter = current_charter()
    if charter is not None and not charter_accepted(author, charter=charter):
        charter_accept(user=author, charter=charter)
    now = timezone.now()
    published = now - timedelta(days=max(spec.days_ago, 0))
    when = now - timedelta(days=spec.days_ago)
    announcement = services.announcement_publish(
        author=author,
        title=spec.title,
        body=spec.body,
        audience=spec.audience,
        departments=Department.objects.filter(slug__in=spec.departments),
        community=community,
        requires_ack=spec.requires_ack,
        deadline=when + timedelta(days=spec.deadline_days) if spec.deadline_days else None,
        publish_at=when if spec.days_ago < 0 else None,
        at=published,
    )
    if announcement.is_published and spec.requires_ack and spec.read_share:
        readers = (
            Receipt.objects.filter(announcement=announcement)
            .exclude(user__username__in=STILL_TO_READ)
            .select_related("user")
            .order_by("pk")
        )
        for receipt in readers:
            if rng.random() < spec.read_share:
                services.announcement_acknowledge(
                    actor=receipt.user,
                    announcement=announcement,
                    at=published + timedelta(hours=rng.uniform(0.2, spec.days_ago * 24 * 0.9)),
                )
    return 1
