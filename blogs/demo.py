"""Demo blogs: posts from the seed texts and colleagues' own notes over the last 12 months, with
readers, comments, replies, reactions, follows and a delegate for an executive.

Called by `manage.py seed_demo` after people. Idempotent: a post is looked up by its author and
title, a follow by its pair, and what exists is left alone. Posts go through
`blogs.services.post_create` with their real publication date; comments, reactions and views
are written with their participation events dated when they happened (interactions' services
only write "now", and would e-mail everyone about year-old comments), so that metrics have a
year of history.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from activity.models import ParticipationEvent, Verb
from activity.services import event_record
from blogs import demo_content, services
from blogs.models import BlogPage, Follow, PostPage
from core.html import render_user_text
from governance.exceptions import CharterNotAccepted
from interactions.models import Comment, Reaction
from people.models import User

# Short notes by colleagues: what people actually write on an internal blog.
COLLEAGUE_POSTS = [
    (
        "Ce que trois mois de communauté qualité nous ont appris",
        [
            "Nous avons ouvert la communauté qualité en janvier avec une règle simple : toute "
            "question reçoit une réponse dans la journée, même si c'est « je ne sais pas, "
            "mais je cherche ».",
            "Résultat : 42 questions, dont 30 résolues sans réunion. Les irritants remontent "
            "plus vite, et les mêmes réponses ne s'écrivent plus dix fois par e-mail.",
        ],
        ["qualité", "communautés"],
    ),
    (
        "Pourquoi je publie mes comptes rendus ici plutôt que par e-mail",
        [
            "Un e-mail reste dans dix boîtes ; un billet reste trouvable par tous, y compris "
            "par les personnes qui arriveront l'an prochain.",
            "Depuis que je publie mes comptes rendus sur mon blog, on me pose moins de "
            "questions en double et plus de questions de fond.",
        ],
        ["méthodes", "collaboration"],
    ),
    (
        "Retour d'expérience : l'accueil des nouveaux au service client",
        [
            "Chaque nouvel arrivant passe désormais sa première semaine en binôme avec un "
            "conseiller d'un autre service. C'est la meilleure façon de comprendre nos clients.",
            "Vos idées pour améliorer ce parcours sont les bienvenues en commentaire ?",
        ],
        ["accueil", "service client"],
    ),
    (
        "Cinq minutes pour présenter ce que votre équipe a livré",
        [
            "Chaque premier jeudi du mois, une équipe présente en cinq minutes ce qu'elle a "
            "livré. Pas de diapositives obligatoires, seulement ce qui a changé pour nos "
            "clients ou nos collègues.",
            "Qui se lance pour le mois prochain ?",
        ],
        ["partage"],
    ),
    (
        "Nos indicateurs de satisfaction client, expliqués simplement",
        [
            "On me demande souvent d'où viennent les chiffres de satisfaction affichés en "
            "réunion. Voici, en clair, comment ils sont calculés et ce qu'ils ne disent pas.",
            "Le taux de réponse compte autant que la note : une note sans réponses ne mesure "
            "que les plus motivés.",
        ],
        ["indicateurs", "service client"],
    ),
    (
        "Le tableau de bord logistique est ouvert à tous",
        [
            "Le tableau de bord des délais de livraison est désormais consultable par tous les "
            "services. Plus besoin de demander une extraction.",
            "Si un indicateur vous semble faux, dites-le ici : c'est souvent ainsi qu'on "
            "trouve les vraies anomalies.",
        ],
        ["opérations", "données"],
    ),
    (
        "Ce que j'ai appris en passant une journée avec les commerciaux",
        [
            "J'ai accompagné l'équipe ventes pendant une journée de rendez-vous clients. "
            "Nos outils internes leur font perdre presque une heure par jour.",
            "Trois pistes simples en sortent ; je les détaille dans le fil de la communauté "
            "outils.",
        ],
        ["ventes", "outils"],
    ),
    (
        "Pourquoi nous avons arrêté la réunion du lundi",
        [
            "La réunion d'équipe du lundi durait une heure et servait surtout à lire des "
            "chiffres. Nous l'avons remplacée par un billet hebdomadaire et quinze minutes de "
            "questions.",
            "Deux mois plus tard, personne ne la regrette, et les questions sont meilleures.",
        ],
        ["méthodes"],
    ),
    (
        "Formation : les supports de la session sur les données personnelles",
        [
            "Les supports de la session d'hier sont en ligne. La question la plus posée : "
            "peut-on partager un fichier client avec un prestataire ? Réponse courte : "
            "jamais sans accord du délégué à la protection des données.",
        ],
        ["formation", "conformité"],
    ),
    (
        "Une idée pour réduire nos impressions de moitié",
        [
            "Nous imprimons encore chaque bon de commande en trois exemplaires. La signature "
            "électronique est disponible depuis six mois.",
            "Qui, dans les autres services, a déjà fait la bascule ? Je cherche des retours.",
        ],
        ["idées", "environnement"],
    ),
]

COMMENTS = [
    "Merci pour ce partage, c'est exactement ce que nous vivons dans mon équipe.",
    "Très clair. Je transmets à mes collègues.",
    "Je ne suis pas tout à fait d'accord : chez nous, c'est le terrain qui a lancé le mouvement.",
    "Bravo pour la transparence, ça donne envie d'essayer.",
    "Est-ce qu'on pourrait en parler à la prochaine réunion de service ?",
    "Comment mesurez-vous le temps gagné ?",
    "Quels sont les premiers pas que vous recommanderiez à une petite équipe ?",
    "Est-ce que la direction compte publier un calendrier pour la suite ?",
    "Exemple parfait de ce qu'on attend de cette plateforme.",
    "J'ajouterais qu'il faut du temps, et le dire.",
]
REPLIES = [
    "Merci ! Bonne question, je vous réponds en détail dans un prochain billet.",
    "Tout à fait, et c'est justement le but.",
    "Oui, je le mets à l'ordre du jour.",
    "Nous comptons les demandes évitées par e-mail : environ deux heures par semaine.",
]
REACTIONS = ["like", "like", "like", "celebrate", "insightful", "support", "curious"]


def _rich(paragraphs: list[tuple[str, Any]]) -> list[dict[str, Any]]:
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


def _leader_posts() -> list[dict[str, Any]]:
    """The executives' posts: seed 000 whole, seed 002 in its sections, 003 and 004."""
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
            "days_ago": 330,
            "comment": demo_content.SEED_000["comment"],
        },
        {
            "author": "julien.moreau",
            "title": "Les dirigeants ne peuvent pas déléguer l'engagement numérique",
            "blocks": [*intro, ("heading", headings[0]), *by_heading[headings[0]]],
            "tags": ["leadership", "numérique"],
            "days_ago": 280,
        },
        {
            "author": "camille.martin",
            "title": headings[1],
            "blocks": by_heading[headings[1]],
            "tags": ["stratégie", "numérique"],
            "days_ago": 200,
        },
        {
            "author": "julien.moreau",
            "title": headings[2],
            "blocks": by_heading[headings[2]],
            "tags": ["ressources", "leadership"],
            "days_ago": 120,
            "prepared_by": "sophie.laurent",
        },
        {
            "author": "camille.martin",
            "title": "Prendre un engagement personnel, et vous ?",
            "blocks": [*by_heading[headings[3]], *by_heading.get(headings[4], [])],
            "tags": ["leadership", "engagement"],
            "days_ago": 45,
        },
        {
            "author": "sophie.laurent",
            "title": demo_content.SEED_003_TITLE,
            "blocks": demo_content.SEED_003,
            "tags": ["organisation", "médias sociaux"],
            "days_ago": 250,
        },
        {
            "author": "emily.clarke",
            "title": demo_content.SEED_004_TITLE,
            "blocks": demo_content.SEED_004,
            "tags": ["digitalisation"],
            "days_ago": 160,
        },
    ]


def _dated(start: datetime, now: datetime, rng: random.Random, within_days: int = 20) -> datetime:
    end = min(now - timedelta(minutes=5), start + timedelta(days=within_days))
    if end <= start:
        return start
    return start + (end - start) * rng.random()


def _publish(
    author: User, title: str, blocks, tags, when: datetime, prepared_by: User | None
) -> PostPage | None:
    existing = PostPage.objects.filter(author=author, title=title).first()
    if existing is not None:
        return None  # already seeded: leave it and its conversation as they are
    try:
        if prepared_by is not None:
            blog = services.blog_ensure(actor=author)
            draft = services.post_create(
                actor=prepared_by, blog=blog, title=title, body=_rich(blocks), tags=tags
            )
            PostPage.objects.filter(pk=draft.pk).update(first_published_at=when)
            draft.refresh_from_db()
            draft.save_revision(user=author)
            post = services.post_publish(actor=author, post=draft)
            PostPage.objects.filter(pk=post.pk).update(last_published_at=when)
            return post
        return services.post_create(
            actor=author,
            title=title,
            body=_rich(blocks),
            tags=tags,
            publish=True,
            published_at=when,
        )
    except CharterNotAccepted:  # governance requires an acceptance this person has not given
        return None


def _conversation(
    post: PostPage,
    people: list[User],
    rng: random.Random,
    now: datetime,
    first_comment: str | None = None,
) -> tuple[int, int, int]:
    """Readers, comments (some answered by the author) and reactions after publication."""
    content_type = ContentType.objects.get_for_model(PostPage, for_concrete_model=False)
    author = post.author
    others = [p for p in people if p.pk != author.pk]
    published = post.first_published_at
    readers = rng.sample(others, k=min(len(others), rng.randint(8, 60)))
    for reader in readers:
        event_record(
            actor=reader,
            verb=Verb.VIEWED,
            obj=post,
            target_user=author,
            occurred_at=_dated(published, now, rng, within_days=30),
        )
    commenters = rng.sample(readers, k=min(len(readers), rng.randint(0, 5)))
    texts = [first_comment] if first_comment else []
    comments = 0
    for person in commenters:
        body = texts.pop(0) if texts else rng.choice(COMMENTS)
        at = _dated(published, now, rng, within_days=10)
        comment = Comment.objects.create(
            content_type=content_type,
            object_id=post.pk,
            author=person,
            body=body,
            body_html=str(render_user_text(body, {})),
            created_at=at,
        )
        event_record(
            actor=person, verb=Verb.COMMENTED, obj=comment, target_user=author, occurred_at=at
        )
        comments += 1
        # Authors answer most comments; some questions stay open for the leader's list.
        if rng.random() < 0.6:
            reply_body = rng.choice(REPLIES)
            reply_at = _dated(at, now, rng, within_days=3)
            reply = Comment.objects.create(
                content_type=content_type,
                object_id=post.pk,
                author=author,
                parent=comment,
                body=reply_body,
                body_html=str(render_user_text(reply_body, {})),
                created_at=reply_at,
            )
            event_record(
                actor=author,
                verb=Verb.REPLIED,
                obj=reply,
                target_user=person,
                occurred_at=reply_at,
            )
            comments += 1
    reactors = rng.sample(readers, k=min(len(readers), rng.randint(0, 12)))
    for person in reactors:
        at = _dated(published, now, rng, within_days=7)
        Reaction.objects.get_or_create(
            user=person,
            content_type=content_type,
            object_id=post.pk,
            kind=rng.choice(REACTIONS),
            defaults={"created_at": at},
        )
        event_record(actor=person, verb=Verb.REACTED, obj=post, target_user=author, occurred_at=at)
    return len(readers), comments, len(reactors)


def seed(*, rng: random.Random, stdout) -> None:
    people = list(
        User.objects.filter(is_active=True).select_related("department").order_by("username")
    )
    if not people:
        stdout.write("  blogs: no employees yet, nothing to seed")
        return
    by_username = {p.username: p for p in people}
    by_pk = {p.pk: p for p in people}
    executives = [p for p in people if p.is_executive]
    now = timezone.now()
    created = readers = comments = reactions = 0
    # One generator per phase, drawn up front: what a phase draws never depends on what an
    # earlier run already created, so a second run plans exactly the same posts and follows.
    plan_rng, talk_rng, follow_rng = (random.Random(rng.getrandbits(64)) for _ in range(3))

    with transaction.atomic():
        for user in people:
            services.employee_admin_access_grant(user=user)
        julien, sophie = by_username.get("julien.moreau"), by_username.get("sophie.laurent")
        if julien and sophie and julien.is_executive:
            services.delegation_grant(actor=julien, executive=julien, delegate=sophie)

    for spec in _leader_posts():
        author = by_username.get(spec["author"]) or (executives[0] if executives else people[0])
        prepared_by = by_username.get(spec.get("prepared_by", ""))
        when = now - timedelta(days=spec["days_ago"], hours=plan_rng.randint(0, 8))
        with transaction.atomic():
            post = _publish(author, spec["title"], spec["blocks"], spec["tags"], when, prepared_by)
            if post is None:
                continue
            counts = _conversation(post, people, talk_rng, now, first_comment=spec.get("comment"))
        created += 1
        readers, comments, reactions = (
            readers + counts[0],
            comments + counts[1],
            reactions + counts[2],
        )

    writers = plan_rng.sample(people, k=min(len(people), 40))
    plan = [
        (author, now - timedelta(days=plan_rng.randint(1, 364), hours=plan_rng.randint(0, 10)))
        for author in writers
    ]
    for n, (author, when) in enumerate(plan):
        title, paragraphs, tags = COLLEAGUE_POSTS[n % len(COLLEAGUE_POSTS)]
        if n >= len(COLLEAGUE_POSTS):
            title = f"{title} ({author.department.name if author.department else author.name})"
        with transaction.atomic():
            post = _publish(author, title, [("paragraph", p) for p in paragraphs], tags, when, None)
            if post is None:
                continue
            counts = _conversation(post, people, talk_rng, now)
        created += 1
        readers, comments, reactions = (
            readers + counts[0],
            comments + counts[1],
            reactions + counts[2],
        )

    follows = 0
    followers = follow_rng.sample(people, k=min(len(people), 120))
    bloggers = list(BlogPage.objects.order_by("person_id").values_list("person_id", flat=True))
    with transaction.atomic():
        for follower in followers:
            targets = set(
                follow_rng.sample(bloggers, k=min(len(bloggers), follow_rng.randint(1, 4)))
            )
            targets.update(e.pk for e in executives[:2] if follow_rng.random() < 0.5)
            for person_id in sorted(targets):
                since = now - timedelta(days=follow_rng.randint(1, 360))
                if person_id == follower.pk:
                    continue
                if Follow.objects.filter(follower=follower, person_id=person_id).exists():
                    continue
                services.follow_create(actor=follower, person=by_pk[person_id], occurred_at=since)
                follows += 1
    stdout.write(
        f"  blogs: {created} posts, {readers} readers, {comments} comments and replies, "
        f"{reactions} reactions, {follows} follows "
        f"({ParticipationEvent.objects.filter(verb=Verb.POSTED).count()} posts in all)"
    )
