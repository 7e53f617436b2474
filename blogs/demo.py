"""Demo blogs: what the posts say (the seed texts, the executives' and colleagues' own notes,
in `blogs.demo_content`), what readers answer, and the blog settings of the demo: every
employee reaches their blog in Wagtail, and an executive has a delegate.

`ruche.demo_history` publishes the posts on their day through `blogs.services` and writes their
comments, reactions, views and follows through the services of interactions, activity and
blogs, so the demo's history is made exactly as the product makes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.html import escape

from blogs import demo_content, services
from blogs.models import PostPage
from interactions import services as interaction_services
from people.models import User

COMMENTS = [
    "Merci pour ce partage, c'est exactement ce que nous vivons dans mon équipe.",
    "Très clair. Je transmets à mes collègues.",
    "Je ne suis pas tout à fait d'accord : chez nous, c'est le terrain qui a lancé le mouvement.",
    "Bravo pour la transparence, ça donne envie d'essayer.",
    "Est-ce qu'on pourrait en parler à la prochaine réunion de service ?",
    "Comment mesurez-vous le temps gagné ?",
    "Quels sont les premiers pas que vous recommanderiez à une petite équipe ?",
    "Est-ce que la direction compte publier un calendrier pour la suite ?",
    "Un bel exemple de ce que nous attendons de cette plateforme.",
    "J'ajouterais qu'il faut du temps, et le dire.",
]
# The author's answers to a comment.
REPLIES = [
    "Merci ! Bonne question, je vous réponds en détail dans un prochain billet.",
    "Tout à fait, et c'est justement le but.",
    "Oui, je le mets à l'ordre du jour.",
    "Merci pour ce retour, je n'y avais pas pensé.",
    "Bonne remarque : je corrige le billet.",
    "Je vous propose d'en parler de vive voix cette semaine.",
    "C'est noté, je reviens vers vous avec des chiffres.",
]
REACTIONS = ["like", "like", "like", "celebrate", "insightful", "support", "curious"]


def rich(paragraphs: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Seed blocks (paragraph, heading, list, quote) as StreamField data."""
    stream: list[dict[str, Any]] = []
    for kind, value in paragraphs:
        if kind == "heading":
            stream.append({"type": "heading", "value": {"text": value, "level": "h2"}})
        elif kind == "list":
            items = "".join(f"<li>{escape(item)}</li>" for item in value)
            stream.append({"type": "paragraph", "value": f"<ul>{items}</ul>"})
        elif kind == "quote":
            stream.append({"type": "quote", "value": {"text": value, "source": ""}})
        else:
            stream.append({"type": "paragraph", "value": f"<p>{escape(value)}</p>"})
    return stream


def leader_posts() -> list[dict[str, Any]]:
    """The seed texts as posts: seed 000 whole, seed 002 in its sections (the executives),
    003 and 004 (colleagues); `day` is the day of the demo year (0 = a year ago)."""
    sections = demo_content.SEED_002_SECTIONS
    intro = sections[0]["blocks"]
    by_heading = {s["heading"]: s["blocks"] for s in sections[1:]}
    headings = list(by_heading)
    return [
        {
            "author": "camille.martin",
            "title": demo_content.SEED_000["title"],
            "blocks": demo_content.SEED_000["blocks"],
            "tags": ["transformation", "direction"],
            "day": 75,
            "comment": demo_content.SEED_000["comment"],
        },
        {
            "author": "julien.moreau",
            "title": "Les dirigeants ne peuvent pas déléguer l'engagement numérique",
            "blocks": [*intro, ("heading", headings[0]), *by_heading[headings[0]]],
            "tags": ["leadership", "numérique"],
            "day": 105,
        },
        {
            "author": "camille.martin",
            "title": headings[1],
            "blocks": by_heading[headings[1]],
            "tags": ["stratégie", "numérique"],
            "day": 164,
        },
        {
            "author": "julien.moreau",
            "title": headings[2],
            "blocks": by_heading[headings[2]],
            "tags": ["ressources", "leadership"],
            "day": 244,
            "prepared_by": "sophie.laurent",
        },
        {
            "author": "camille.martin",
            "title": "Prendre un engagement personnel, et vous ?",
            "blocks": [*by_heading[headings[3]], *by_heading.get(headings[4], [])],
            "tags": ["leadership", "engagement"],
            "day": 319,
        },
        {
            "author": "sophie.laurent",
            "title": demo_content.SEED_003_TITLE,
            "blocks": demo_content.SEED_003,
            "tags": ["organisation", "médias sociaux"],
            "day": 114,
        },
        {
            "author": "emily.clarke",
            "title": demo_content.SEED_004_TITLE,
            "blocks": demo_content.SEED_004,
            "tags": ["digitalisation"],
            "day": 204,
        },
    ]


def setup(people: list[User]) -> None:
    """Every employee's access to their blog in Wagtail, and Sophie as Julien's delegate."""
    by_username = {p.username: p for p in people}
    with transaction.atomic():
        for user in people:
            services.employee_admin_access_grant(user=user)
        julien, sophie = by_username.get("julien.moreau"), by_username.get("sophie.laurent")
        if julien and sophie and julien.is_executive:
            services.delegation_grant(actor=julien, executive=julien, delegate=sophie)


# What Julien's cockpit shows on the first run (blogs.selectors.cockpit_context).
COCKPIT_QUESTION = (
    "Julien, comment comptez-vous associer les équipes terrain à la suite du programme ? "
    "Nous aimerions être consultés avant les décisions, pas après."
)
READY_DRAFT_TITLE = "Ce que vos questions m'ont appris cette année"
READY_DRAFT = [
    (
        "paragraph",
        "Vous avez été nombreux à commenter mes billets cette année, et vos questions ont "
        "changé ma façon de voir notre transformation.",
    ),
    ("heading", "Trois choses que je retiens"),
    (
        "list",
        [
            "Vous voulez être consultés avant les décisions, pas après.",
            "Les équipes terrain sont prêtes à partager, si on leur en laisse le temps.",
            "Une réponse rapide vaut mieux qu'une réponse parfaite.",
        ],
    ),
    ("paragraph", "Dites-moi ce que j'ai oublié : je vous réponds ici."),
]


def cockpit(people: list[User], *, at: datetime, may_write: Callable[[User], bool]) -> None:
    """At the end of the year of history (`at`, the last day seeded): a colleague from another
    department asks Julien a question on his latest post (waiting for his answer), and
    Sophie, his delegate, prepares a draft and marks it ready for his review (Julien is
    notified). Through the services, like the rest of the demo; `may_write(person)` is the
    history's gate (hired by then, charter accepted)."""
    by_username = {p.username: p for p in people}
    julien, sophie = by_username.get("julien.moreau"), by_username.get("sophie.laurent")
    if julien is None or sophie is None or not julien.is_executive:
        return
    latest = (
        PostPage.objects.live()
        .filter(author=julien, hidden_at__isnull=True)
        .order_by("-first_published_at")
        .first()
    )
    asker = next(
        (
            p
            for p in people
            if p.department_id != julien.department_id
            and not (p.is_executive or p.is_superuser or p.pk == sophie.pk)
            and may_write(p)
        ),
        None,
    )
    with transaction.atomic():
        if latest is not None and asker is not None:
            interaction_services.comment_create(
                author=asker, target=latest, body=COCKPIT_QUESTION, at=at
            )
        if may_write(sophie):
            draft = services.post_create(
                actor=sophie,
                for_person=julien,
                title=READY_DRAFT_TITLE,
                body=rich(READY_DRAFT),
                tags=["leadership", "dialogue"],
            )
            services.draft_mark_ready(actor=sophie, post=draft, at=at)
