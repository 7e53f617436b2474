"""Demo communities: about 25 of them, some across departments, the council of community
managers that seed 003 calls for (coordination between departments through a charter and a
matrix organisation), a few private ones, and 12 months of threads and replies.

History is back-dated: the rows and their participation events carry the dates they would have
had, so the metrics show a path over the year. That is why this module writes rows itself
instead of calling the services, which date everything "now" and would send a year of
notifications on the spot; it writes the same rows and the same events the services write.

Idempotent: a community is looked up by its slug; an existing one is left as it is.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from activity.models import Verb
from activity.services import event_record
from communities.models import (
    AccessMode,
    Community,
    Membership,
    MembershipState,
    Role,
    Thread,
    ThreadKind,
)
from core.html import render_user_text
from interactions.models import Comment
from people.models import Department, User

ALL = "*"
Q, D, A = ThreadKind.QUESTION, ThreadKind.DISCUSSION, ThreadKind.ANNOUNCEMENT


@dataclass
class Spec:
    slug: str
    name: str
    description: str
    access: str
    departments: list[str]
    topics: list[tuple[str, str, str]] = field(default_factory=list)
    size: tuple[int, int] = (12, 40)
    manager: str = ""


COMMUNITIES = [
    Spec(
        "conseil-des-community-managers",
        "Conseil des community managers",
        "Le conseil qui coordonne notre présence sur les médias sociaux entre tous les "
        "services : marketing, ventes, service client, RH, DSI. Charte d'intervention, "
        "organisation matricielle, qui répond à quoi.",
        AccessMode.PRIVATE,
        [ALL],
        [
            (
                A,
                "Ordre du jour du conseil de ce mois",
                "Points : la charte v2, le tableau de "
                "bord des mentions, le relais avec le service client le week-end.",
            ),
            (
                D,
                "Qui répond aux clients sur les réseaux le week-end ?",
                "Aujourd'hui personne "
                "n'est d'astreinte. Proposition : un tour entre service client et marketing.",
            ),
            (
                Q,
                "Faut-il une validation juridique avant chaque réponse publique ?",
                "Le juridique demande à relire ; cela prend 48 h. Comment font les autres ?",
            ),
            (
                D,
                "Retour d'expérience : le bad buzz de mars",
                "Ce qui a marché : la réponse "
                "en moins d'une heure par le chef de produit lui-même.",
            ),
            (
                D,
                "Organisation matricielle : qui est référent dans chaque service ?",
                "Il nous faut un référent par département. Proposez-vous en réponse.",
            ),
        ],
        size=(8, 14),
        manager="sophie.laurent",
    ),
    Spec(
        "clients-dabord",
        "Clients d'abord",
        "Marketing, ventes et service après-vente ensemble : ce que disent les clients et ce "
        "que nous en faisons.",
        AccessMode.OPEN,
        ["marketing-communication", "ventes", "service-client"],
        [
            (
                Q,
                "Comment remonter une réclamation vue sur les réseaux ?",
                "Un client s'est plaint publiquement ; à qui transmettre, et qui lui répond ?",
            ),
            (
                D,
                "Les trois irritants clients du trimestre",
                "Délais de livraison, facture illisible, hotline saturée le lundi. Vos idées ?",
            ),
            (
                Q,
                "Peut-on partager les verbatims clients avec les commerciaux ?",
                "Avec quelles précautions ?",
            ),
        ],
        size=(30, 70),
    ),
    Spec(
        "veille-medias-sociaux",
        "Veille médias sociaux",
        "Ce qui se dit de nous et de notre marché. Les conversations ont lieu, que nous y "
        "soyons ou non.",
        AccessMode.OPEN,
        ["marketing-communication"],
        [
            (
                D,
                "Revue de la semaine : mentions de la marque",
                "Hausse des mentions après le salon, ton plutôt positif.",
            ),
            (Q, "Quel outil de veille pour les PME ?", "Nous cherchons un outil simple."),
        ],
    ),
    Spec(
        "cellule-bad-buzz",
        "Cellule bad buzz",
        "La cellule de réaction rapide quand une conversation publique tourne mal.",
        AccessMode.PRIVATE,
        ["marketing-communication", "service-client", "direction-generale"],
        [
            (
                A,
                "Procédure d'alerte mise à jour",
                "Le numéro d'astreinte change ; la procédure est à jour dans la charte.",
            ),
            (
                D,
                "Exercice de simulation le mois prochain",
                "Un faux bad buzz pour tester nos délais de réponse.",
            ),
        ],
        size=(6, 10),
    ),
    Spec(
        "charte-dusage",
        "Charte d'usage interne",
        "Discuter la charte d'usage de Ruche et des médias sociaux avant chaque nouvelle version.",
        AccessMode.OPEN,
        ["ressources-humaines", "direction-generale"],
        [
            (Q, "Peut-on parler de ses clients sur son blog ?", "Sans les nommer, je suppose ?"),
            (
                D,
                "Proposition : un paragraphe sur le droit à la déconnexion",
                "À ajouter à la charte v2.",
            ),
        ],
    ),
    Spec(
        "chefs-de-produit-a-lecoute",
        "Chefs de produit à l'écoute",
        "Comme chez Dell, les chefs de produit deviennent interlocuteurs des internautes. On "
        "partage les questions reçues et nos réponses.",
        AccessMode.BY_REQUEST,
        ["marketing-communication", "technologies"],
        [
            (
                Q,
                "Qui valide une réponse technique publique ?",
                "Le chef de produit seul, ou avec la DSI ?",
            ),
            (D, "Les questions les plus posées sur la nouvelle offre", "Compilation à jour."),
        ],
    ),
    Spec(
        "accueil-nouveaux-arrivants",
        "Accueil des nouveaux arrivants",
        "Bienvenue ! Posez ici toutes vos questions pratiques.",
        AccessMode.OPEN,
        ["ressources-humaines"],
        [
            (Q, "Où trouver le planning des formations d'intégration ?", "Merci d'avance !"),
            (Q, "Comment réserver une salle ?", "Je ne trouve pas l'outil."),
        ],
        size=(40, 90),
    ),
    Spec(
        "indicateurs-et-roi",
        "Indicateurs et ROI",
        "Définir des métriques pour évaluer le retour sur investissement : parler business à "
        "la direction générale, pas outils.",
        AccessMode.OPEN,
        ["finance", "technologies", "direction-generale"],
        [
            (
                D,
                "Quels indicateurs présenter au comité de direction ?",
                "Adoption, temps de réponse, questions résolues sans escalade ?",
            ),
            (
                Q,
                "Comment mesurer le temps gagné grâce aux communautés ?",
                "Une méthode simple qui tienne devant le contrôle de gestion ?",
            ),
        ],
    ),
    Spec(
        "sav-et-retours",
        "Service après-vente et retours",
        "Logistique et service client : retours produits, échanges, délais.",
        AccessMode.OPEN,
        ["service-client", "operations"],
        [(Q, "Qui gère les retours des clients professionnels ?", "Logistique ou SAV ?")],
    ),
    Spec(
        "club-des-developpeurs",
        "Club des développeurs",
        "Entraide technique, revues de code et veille.",
        AccessMode.OPEN,
        ["technologies"],
        [(Q, "Python 3.12 : quand migrons-nous ?", "Nos serveurs sont encore en 3.11.")],
    ),
    Spec(
        "innovation-participative",
        "Innovation participative",
        "Vos idées pour améliorer notre façon de travailler, d'où que vous veniez.",
        AccessMode.OPEN,
        [ALL],
        [(D, "Idée : un café inter-services chaque mois", "Pour se rencontrer hors projet.")],
        size=(40, 100),
    ),
    Spec(
        "teletravail-et-organisation",
        "Télétravail et organisation",
        "Bonnes pratiques du travail hybride.",
        AccessMode.OPEN,
        ["ressources-humaines"],
        [(Q, "Combien de jours de télétravail pour les nouveaux ?", "La règle a-t-elle changé ?")],
    ),
    Spec(
        "formation-et-competences",
        "Formation et compétences",
        "Parcours de formation, partages de cours, mentorat.",
        AccessMode.OPEN,
        ["ressources-humaines", "technologies"],
    ),
    Spec(
        "projet-crm",
        "Projet CRM",
        "Le projet de nouvel outil de relation client : ventes, service client et DSI.",
        AccessMode.BY_REQUEST,
        ["ventes", "technologies", "service-client"],
        [
            (A, "Calendrier du déploiement", "Pilote en avril, généralisation en juin."),
            (Q, "Les historiques de tickets seront-ils repris ?", "Indispensable pour le SAV."),
        ],
    ),
    Spec(
        "comite-numerique",
        "Comité de direction numérique",
        "Les dirigeants parlent de la transformation numérique, avec leurs propres mots.",
        AccessMode.PRIVATE,
        ["direction-generale", "finance", "technologies", "ressources-humaines"],
        [
            (
                D,
                "Où en sommes-nous sur l'échelle de maturité ?",
                "Le tableau de bord dit "
                "« Coordinating ». Que manque-t-il pour passer à l'étape suivante ?",
            )
        ],
        size=(5, 9),
    ),
    Spec(
        "qualite-satisfaction",
        "Qualité et satisfaction client",
        "Enquêtes de satisfaction, plans d'action qualité.",
        AccessMode.OPEN,
        ["service-client"],
    ),
    Spec(
        "evenements-internes",
        "Événements internes",
        "Séminaires, afterworks, conventions.",
        AccessMode.OPEN,
        ["marketing-communication"],
        [(A, "Convention annuelle : inscriptions ouvertes", "Rendez-vous le 12 juin.")],
    ),
    Spec(
        "green-it-rse",
        "Green IT et RSE",
        "Sobriété numérique et responsabilité sociétale, entre DSI et opérations.",
        AccessMode.OPEN,
        ["technologies", "operations"],
    ),
    Spec(
        "paie-et-avantages",
        "Paie et avantages : vos questions",
        "Les équipes paie et finance répondent.",
        AccessMode.OPEN,
        ["ressources-humaines", "finance"],
        [(Q, "Quand la prime d'intéressement est-elle versée ?", "Mai ou juin ?")],
    ),
    Spec(
        "ventes-grands-comptes",
        "Ventes grands comptes",
        "Les account managers partagent leurs pratiques.",
        AccessMode.BY_REQUEST,
        ["ventes"],
    ),
    Spec(
        "photographie",
        "Photographie",
        "Pour les passionnés d'images, sorties photo et conseils.",
        AccessMode.OPEN,
        [],
        size=(10, 25),
    ),
    Spec(
        "course-a-pied",
        "Course à pied",
        "Entraînements du midi et courses solidaires.",
        AccessMode.OPEN,
        [],
        size=(10, 25),
    ),
    Spec(
        "english-corner",
        "English corner",
        "Practise your English with colleagues, every level welcome.",
        AccessMode.OPEN,
        [],
        [(D, "Favourite podcasts to practise listening?", "Share yours!")],
        size=(10, 30),
    ),
    Spec(
        "mentorat-inter-services",
        "Mentorat inter-services",
        "Un mentor d'un autre service pendant six mois.",
        AccessMode.BY_REQUEST,
        [ALL],
    ),
    Spec(
        "evangelisation-medias-sociaux",
        "Évangélisation des médias sociaux",
        "Expliquer et valoriser les médias sociaux au sein de l'entreprise : la résistance "
        "au changement est naturelle, parlons-en.",
        AccessMode.OPEN,
        ["marketing-communication", "direction-generale"],
        [
            (
                D,
                "Comment convaincre un manager sceptique ?",
                "Parler gains business plutôt qu'outils, d'après la recommandation n° 3.",
            ),
            (Q, "Avez-vous un exemple chiffré à montrer à la DG ?", "Un cas interne serait idéal."),
        ],
    ),
]

GENERIC_TOPICS = [
    (
        Q,
        "Quelqu'un a-t-il déjà traité ce sujet ?",
        "Je cherche un contact qui a de l'expérience, même dans un autre service.",
    ),
    (D, "Compte rendu de la réunion de mardi", "Les principaux points et les décisions."),
    (D, "Partage : un article intéressant", "Lu ce matin, cela rejoint nos discussions."),
    (
        Q,
        "Quel est le bon interlocuteur pour ce type de demande ?",
        "Je ne sais pas à qui m'adresser.",
    ),
    (D, "Bilan du trimestre", "Ce qui a avancé, ce qui bloque encore."),
    (Q, "Un modèle de document existe-t-il déjà ?", "Pour éviter de repartir de zéro."),
    (D, "Proposition d'atelier", "Une heure pour travailler ensemble sur le sujet."),
    (D, "Retour d'expérience", "Ce que nous avons appris cette fois-ci."),
]

REPLIES = [
    "Bonne question, je me la posais aussi.",
    "Chez nous, c'est le service client qui s'en occupe en premier niveau.",
    "Je peux vous mettre en contact avec la bonne personne.",
    "Merci pour le partage, très utile.",
    "Nous avons eu le même cas le mois dernier : voir le compte rendu.",
    "D'accord avec la proposition, on teste ?",
    "Attention aux délais : il faut prévenir au moins une semaine avant.",
    "Je suis volontaire pour le prochain atelier.",
    "Le modèle est sur l'intranet, rubrique documents.",
    "Vu avec le marketing : c'est validé de leur côté.",
    "Pouvez-vous préciser le contexte ?",
    "C'est exactement ce qui manquait, merci !",
    "Nous avons fait un essai côté ventes, les résultats sont encourageants.",
    "Je relaie à mon équipe.",
    "Great point, thanks for sharing.",
]
ANSWERS = [
    "La réponse : passer par le référent de votre service, qui centralise.",
    "C'est la logistique qui gère, le SAV fait le lien avec le client.",
    "Oui, c'est possible : le formulaire est dans la rubrique RH.",
    "Le juridique a validé un circuit court de 4 h pour les réponses standard.",
]


def _dated(start: datetime, end: datetime, rng: random.Random) -> datetime:
    span = max((end - start).total_seconds(), 60)
    moment = start + timedelta(seconds=rng.uniform(0, span))
    # Working hours, mostly.
    return moment.replace(hour=rng.choice([9, 10, 11, 14, 15, 16, 17]), minute=rng.randint(0, 59))


def seed(*, rng: random.Random, stdout) -> None:
    people = list(User.objects.filter(is_active=True).select_related("department"))
    if not people:
        stdout.write("  communities: no employees yet, nothing to do")
        return
    departments = {d.slug: d for d in Department.objects.all()}
    by_department: dict[str, list[User]] = defaultdict(list)
    for person in people:
        if person.department_id:
            by_department[person.department.slug].append(person)
    by_username = {p.username: p for p in people}
    community_managers = [p for p in people if p.is_community_manager]
    thread_type = ContentType.objects.get_for_model(Thread)
    now = timezone.now()
    created_count = 0
    for spec in COMMUNITIES:
        if Community.objects.filter(slug=spec.slug).exists():
            continue
        with transaction.atomic():
            _seed_community(
                spec,
                rng=rng,
                now=now,
                people=people,
                departments=departments,
                by_department=by_department,
                by_username=by_username,
                community_managers=community_managers,
                thread_type=thread_type,
            )
        created_count += 1
    stdout.write(f"  communities: {created_count} created, {len(COMMUNITIES)} in the demo")


def _seed_community(
    spec: Spec,
    *,
    rng: random.Random,
    now: datetime,
    people: list[User],
    departments: dict[str, Department],
    by_department: dict[str, list[User]],
    by_username: dict[str, User],
    community_managers: list[User],
    thread_type: ContentType,
) -> None:
    created_at = now - timedelta(days=rng.randint(340, 365))
    slugs = list(departments) if spec.departments == [ALL] else spec.departments
    pool = [p for slug in slugs for p in by_department.get(slug, [])] or people
    creator = by_username.get(spec.manager) or rng.choice(pool)
    community = Community.objects.create(
        slug=spec.slug,
        name=spec.name,
        description=spec.description,
        access=spec.access,
        created_by=creator,
        created_at=created_at,
        last_activity_at=created_at,
    )
    community.departments.set([departments[s] for s in slugs if s in departments])

    # Members: mostly from the departments involved, a few from elsewhere (people join what
    # interests them), the council gathers the community managers of every department.
    size = rng.randint(*spec.size)
    members = {creator.pk: creator}
    if spec.manager:
        for person in community_managers:
            members[person.pk] = person
        for slug in slugs:  # one referent per department (seed 003: a matrix organisation)
            if by_department.get(slug):
                person = rng.choice(by_department[slug])
                members[person.pk] = person
    for person in rng.sample(pool, min(size, len(pool))):
        members.setdefault(person.pk, person)
    if spec.access != AccessMode.PRIVATE:
        for person in rng.sample(people, min(size // 5, len(people))):
            members.setdefault(person.pk, person)
    for name in ("thomas.bernard", "emily.clarke", "sophie.laurent"):
        # The demo log-ins belong to a good share of communities, so a visitor sees them live.
        visible = spec.access != AccessMode.PRIVATE or bool(spec.manager)
        if name in by_username and visible and (rng.random() < 0.5 or name == "sophie.laurent"):
            members.setdefault(by_username[name].pk, by_username[name])
    managers = {creator.pk} | {
        p.pk for p in rng.sample(list(members.values()), min(1, len(members) - 1))
    }
    joined_at: dict[int, datetime] = {}
    for person in members.values():
        at = created_at if person.pk == creator.pk else _dated(created_at, now, rng)
        at = min(at, now - timedelta(hours=1))
        joined_at[person.pk] = at
        Membership.objects.create(
            community=community,
            user=person,
            role=Role.MANAGER if person.pk in managers else Role.MEMBER,
            state=MembershipState.ACTIVE,
            created_at=at,
        )
        event_record(
            actor=person, verb=Verb.JOINED, obj=community, community_id=community.pk, occurred_at=at
        )
    if spec.access == AccessMode.BY_REQUEST:
        for person in rng.sample(people, 2):
            if person.pk not in members:
                Membership.objects.create(
                    community=community,
                    user=person,
                    state=MembershipState.REQUESTED,
                    created_at=now - timedelta(days=rng.randint(1, 6)),
                )

    # Threads over the year: the community's own topics first, then everyday ones; activity
    # grows over the months, as adoption does.
    topics = list(spec.topics) + rng.sample(GENERIC_TOPICS, rng.randint(4, len(GENERIC_TOPICS)))
    member_list = list(members.values())
    last_activity = created_at
    for index, (kind, title, body) in enumerate(topics):
        progress = index / len(topics)
        start = created_at + timedelta(days=2) + (now - created_at) * (progress**0.8) * 0.9
        at = min(_dated(start, start + timedelta(days=20), rng), now - timedelta(hours=2))
        authors = [m for m in member_list if joined_at[m.pk] <= at] or [creator]
        if kind == ThreadKind.ANNOUNCEMENT:
            authors = [m for m in authors if m.pk in managers] or [creator]
        author = rng.choice(authors)
        thread = Thread.objects.create(
            community=community,
            author=author,
            kind=kind,
            title=title,
            body=body,
            body_html=str(render_user_text(body, {})),
            created_at=at,
            last_activity_at=at,
            pinned=kind == ThreadKind.ANNOUNCEMENT and index == 0,
        )
        event_record(
            actor=author,
            verb=Verb.STARTED_THREAD,
            obj=thread,
            community_id=community.pk,
            occurred_at=at,
        )
        last_activity = max(last_activity, _seed_replies(thread, member_list, rng, now, kind))
        # Old, settled threads get locked now and then.
        if (now - at).days > 200 and rng.random() < 0.15:
            Thread.objects.filter(pk=thread.pk).update(locked=True)
    Community.objects.filter(pk=community.pk).update(last_activity_at=last_activity)


def _seed_replies(
    thread: Thread, members: list[User], rng: random.Random, now: datetime, kind: str
) -> datetime:
    """Replies over the days after the thread, some nested; questions often get an accepted
    answer. Returns the thread's last activity."""
    count = rng.choice([0, 1, 2, 2, 3, 4, 5, 7]) if kind != ThreadKind.ANNOUNCEMENT else 1
    at = thread.created_at
    top: list[Comment] = []
    replies: list[Comment] = []
    for n in range(count):
        at = min(at + timedelta(minutes=rng.randint(20, 60 * 30)), now - timedelta(minutes=5))
        author = rng.choice(members)
        is_answer = kind == ThreadKind.QUESTION and n == 0
        body = rng.choice(ANSWERS if is_answer else REPLIES)
        parent = rng.choice(top) if top and rng.random() < 0.3 else None
        comment = Comment.objects.create(
            content_type=ContentType.objects.get_for_model(Thread),
            object_id=thread.pk,
            author=author,
            parent=parent,
            body=body,
            body_html=str(render_user_text(body, {})),
            created_at=at,
        )
        event_record(
            actor=author,
            verb=Verb.REPLIED,
            obj=comment,
            community_id=thread.community_id,
            target_user=parent.author if parent else thread.author,
            occurred_at=at,
        )
        (replies if parent else top).append(comment)
    fields = {"reply_count": count, "last_activity_at": at}
    if kind == ThreadKind.QUESTION and top and rng.random() < 0.7:
        fields.update(accepted_reply_id=top[0].pk, answered_at=top[0].created_at)
    Thread.objects.filter(pk=thread.pk).update(**fields)
    return at
