"""Demo data for the governance kernel: the usage charter (French and English) and who, among
the demo log-ins, has accepted it.

`ruche.demo_history` publishes it on its day of the demo year (`charter_publish_demo`) and has
people accept it through `governance.services.charter_accept`, each before their first
contribution after its publication, as the charter gate requires. The executives'
questionnaires come from `console.demo`; reports for the moderation queue from
`ruche.demo_moderation`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from governance import services
from governance.models import Charter
from people.models import User

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


def charter_publish_demo(admin: User, *, published_at: datetime) -> Charter:
    """The demo's charter, version 1, published by `admin` at `published_at` (or the one
    already there)."""
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
        return services.charter_publish(actor=admin, charter=draft, published_at=published_at)
