"""Demo data for the governance kernel: a published usage charter (French and English) accepted
by part of the organisation.

Runs after the content seeds (manage.py seed_demo). Idempotent: the charter is looked up by
version, acceptances by person. The executives' questionnaires come from `console.demo`;
reports for the moderation queue need posts and threads: they come from
`ruche.demo_moderation`, a step of its own to run after blogs and communities.

Other seeds that create content through the services (which call `charter_require`) accept the
charter for their authors first with `accept_for(user, at=...)`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from governance import services
from governance.models import Charter, CharterAcceptance
from governance.selectors import current_charter
from people.models import User

CHARTER_PUBLISHED_DAYS_AGO = 330
ACCEPTANCE_SHARE = 0.65
# The demo log-ins: all accepted except Thomas, so that a visitor meets the gate as him.
ACCEPTED_LOGINS = {"admin", "camille.martin", "julien.moreau", "sophie.laurent", "emily.clarke"}
NOT_ACCEPTED_LOGINS = {"thomas.bernard"}

CHARTER_FR_TITLE = "Charte d'usage de Ruche"
CHARTER_EN_TITLE = "Ruche usage charter"
CHARTER_FR = """Ruche est l'espace où chacun peut écrire, commenter et discuter, d'un service à \
l'autre. Cette charte dit ce que nous pouvons y dire, et pourquoi.

1. Parlez en votre nom. Vous écrivez avec votre voix, pas au nom de l'entreprise, sauf dans \
les annonces officielles. Les dirigeants écrivent eux-mêmes ; un billet préparé avec quelqu'un \
le dit.

2. Respectez les personnes. On critique des idées, jamais des personnes. Pas de propos \
blessants, discriminatoires ou harcelants.

3. Protégez ce qui est confidentiel. Pas d'informations sur les clients, les salaires, la \
santé des personnes, ni de chiffres non publiés. En cas de doute, demandez à votre responsable \
avant de publier.

4. Restez exact. Citez vos sources ; corrigez visiblement une erreur plutôt que d'effacer.

5. Ce qui est écrit ici reste interne. Ne copiez pas à l'extérieur ce que vos collègues ont \
écrit sans leur accord.

6. La modération explique. Un contenu qui enfreint cette charte peut être masqué par un \
gestionnaire de communauté ou un administrateur ; rien n'est supprimé, son auteur est prévenu \
et voit pourquoi. Chacun peut signaler un contenu.

7. En cas de question, écrivez à l'équipe de la plateforme ou dans la communauté « Aide Ruche »."""
CHARTER_EN = """Ruche is where everyone can write, comment and discuss, across departments. This \
charter says what we can say here, and why.

1. Speak in your own name. You write in your own voice, not on behalf of the company, except in \
official announcements. Leaders write themselves; a post prepared with someone says so.

2. Respect people. Criticise ideas, never people. No hurtful, discriminatory or harassing words.

3. Protect what is confidential. No information about customers, salaries or people's health, \
and no unpublished figures. When in doubt, ask your manager before publishing.

4. Be accurate. Cite your sources; correct a mistake visibly rather than erase it.

5. What is written here stays internal. Do not copy outside what colleagues wrote without their \
consent.

6. Moderation explains. Content that breaks this charter may be hidden by a community manager \
or an administrator; nothing is deleted, its author is told and sees why. Anyone can report \
content.

7. Questions: write to the platform team or in the "Ruche help" community."""


# A few leaders' answers, in French as most executives write (seed 001's questions).
def accept_for(user: User, *, at: datetime | None = None) -> None:
    """Accept the current charter for `user` (dated `at`, never before its publication), for
    seeds that create content through the services. Does nothing without a charter."""
    charter = current_charter()
    if charter is None or CharterAcceptance.objects.filter(charter=charter, user=user).exists():
        return
    moment = max(at or timezone.now(), charter.published_at + timedelta(minutes=5))
    services.charter_accept(user=user, charter=charter, accepted_at=min(moment, timezone.now()))


def seed(*, rng: random.Random, stdout) -> None:
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        stdout.write("  governance: no administrator yet, nothing to do")
        return
    charter = _seed_charter(admin)
    accepted = _seed_acceptances(charter, rng=rng)
    stdout.write(f"  governance: charter v{charter.version}, {accepted} new acceptances")


def _seed_charter(admin: User) -> Charter:
    existing = Charter.objects.filter(version=1).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        draft = services.charter_draft_save(
            actor=admin,
            data={
                "title_fr": CHARTER_FR_TITLE,
                "title_en": CHARTER_EN_TITLE,
                "body_fr": CHARTER_FR,
                "body_en": CHARTER_EN,
            },
        )
        services.charter_publish(actor=admin, charter=draft)
        # Back-date the publication: the demo organisation has lived with its charter for
        # most of the year its content spans.
        published_at = timezone.now() - timedelta(days=CHARTER_PUBLISHED_DAYS_AGO)
        Charter.objects.filter(pk=draft.pk).update(published_at=published_at)
        draft.published_at = published_at
    return draft


def _seed_acceptances(charter: Charter, *, rng: random.Random) -> int:
    """Each person's choice is drawn from their own username, so that running the seed again
    (or after new people arrive) asks nothing twice and leaves the same people out."""
    already = set(
        CharterAcceptance.objects.filter(charter=charter).values_list("user_id", flat=True)
    )
    now = timezone.now()
    span = (now - charter.published_at).total_seconds()
    created = 0
    for person in User.objects.filter(is_active=True).order_by("pk"):
        if person.pk in already or person.username in NOT_ACCEPTED_LOGINS:
            continue
        own = random.Random(f"ruche-demo:charter:{person.username}")
        if person.username not in ACCEPTED_LOGINS and own.random() >= ACCEPTANCE_SHARE:
            continue
        # Most people accept in the first weeks, a tail later on.
        delay = span * min(own.expovariate(6.0), 0.98)
        at = charter.published_at + timedelta(seconds=delay)
        services.charter_accept(user=person, charter=charter, accepted_at=at)
        created += 1
    return created
