"""Demo communities: about 25 of them, some across departments, the council of community
managers that seed 003 calls for (coordination between departments through a charter and a
matrix organisation), a few private ones, each with the threads that fit it.

This module only describes them; `ruche.demo_history` creates them, their members, threads and
replies over the year through `communities.services` and `interactions.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from communities.models import (
    AccessMode,
    ThreadKind,
)

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
        [
            (Q, "Qui gère les retours des clients professionnels ?", "Logistique ou SAV ?"),
            (
                D,
                "Un colis sur vingt revient abîmé : d'où vient le problème ?",
                "Les retours pour casse ont doublé depuis septembre. Emballage ou transporteur ?",
            ),
            (
                Q,
                "Quel délai annoncer au client pour un échange ?",
                "Nous disons « sous huit jours », la logistique dit dix.",
            ),
        ],
    ),
    Spec(
        "club-des-developpeurs",
        "Club des développeurs",
        "Entraide technique, revues de code et veille.",
        AccessMode.OPEN,
        ["technologies"],
        [
            (Q, "Python 3.12 : quand migrons-nous ?", "Nos serveurs sont encore en 3.11."),
            (
                D,
                "Revues de code : combien de relecteurs ?",
                "Un seul relecteur suffit-il pour les petites corrections ?",
            ),
            (
                Q,
                "Qui a de l'expérience avec les tests de bout en bout ?",
                "Nous voulons tester le parcours de commande dans un vrai navigateur.",
            ),
            (
                A,
                "Atelier du mois : la sécurité des dépendances",
                "Jeudi à 14 h, salle Lovelace et en visio.",
            ),
        ],
    ),
    Spec(
        "innovation-participative",
        "Innovation participative",
        "Vos idées pour améliorer notre façon de travailler, d'où que vous veniez.",
        AccessMode.OPEN,
        [ALL],
        [
            (D, "Idée : un café inter-services chaque mois", "Pour se rencontrer hors projet."),
            (
                D,
                "Idée : une boîte à irritants en ligne",
                "Chacun note ce qui lui fait perdre du temps ; on vote pour les trois à traiter.",
            ),
            (
                Q,
                "Que devient une idée proposée ici ?",
                "J'en ai proposé une au printemps, je ne sais pas si quelqu'un l'a lue.",
            ),
            (
                D,
                "Les idées des équipes de nuit",
                "Éclairage, pauses, ordre des commandes : les équipes de préparation proposent.",
            ),
        ],
        size=(40, 100),
    ),
    Spec(
        "teletravail-et-organisation",
        "Télétravail et organisation",
        "Bonnes pratiques du travail hybride.",
        AccessMode.OPEN,
        ["ressources-humaines"],
        [
            (
                Q,
                "Combien de jours de télétravail pour les nouveaux ?",
                "La règle a-t-elle changé ?",
            ),
            (
                D,
                "Réunions hybrides : vos astuces",
                "Comment éviter que ceux qui sont à distance ne décrochent ?",
            ),
            (
                Q,
                "Peut-on télétravailler depuis l'étranger ?",
                "Quelques semaines cet été, pour raisons familiales.",
            ),
        ],
    ),
    Spec(
        "formation-et-competences",
        "Formation et compétences",
        "Parcours de formation, partages de cours, mentorat.",
        AccessMode.OPEN,
        ["ressources-humaines", "technologies"],
        [
            (
                Q,
                "Une formation en analyse de données pour non-spécialistes ?",
                "Je voudrais comprendre nos tableaux de bord sans devenir data analyst.",
            ),
            (
                D,
                "Ce que j'ai retenu de la formation à la prise de parole",
                "Trois conseils simples, testés dès la réunion suivante.",
            ),
            (
                A,
                "Le catalogue de formations de l'an prochain est en ligne",
                "Inscriptions ouvertes jusqu'à la fin du mois.",
            ),
        ],
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
        [
            (
                D,
                "Enquête de satisfaction : les verbatims du mois",
                "Les clients saluent l'accueil téléphonique, moins les délais de rappel.",
            ),
            (
                Q,
                "Faut-il rappeler chaque client qui met une mauvaise note ?",
                "Nous le faisons pour les notes de 1 et 2 ; faut-il aller jusqu'à 3 ?",
            ),
        ],
    ),
    Spec(
        "evenements-internes",
        "Événements internes",
        "Séminaires, afterworks, conventions.",
        AccessMode.OPEN,
        ["marketing-communication"],
        [
            (A, "Convention annuelle : inscriptions ouvertes", "Rendez-vous le 12 juin."),
            (
                D,
                "Afterwork de rentrée : vos idées de lieu",
                "Plutôt un bar près du siège ou un pique-nique au parc ?",
            ),
        ],
    ),
    Spec(
        "green-it-rse",
        "Green IT et RSE",
        "Sobriété numérique et responsabilité sociétale, entre DSI et opérations.",
        AccessMode.OPEN,
        ["technologies", "operations"],
        [
            (
                D,
                "Éteindre les écrans le soir : combien économisons-nous ?",
                "Une estimation rapide pour le site logistique : quelques milliers d'euros par an.",
            ),
            (
                Q,
                "Que faire de nos anciens ordinateurs portables ?",
                "Une association propose de les reconditionner.",
            ),
        ],
    ),
    Spec(
        "paie-et-avantages",
        "Paie et avantages : vos questions",
        "Les équipes paie et finance répondent.",
        AccessMode.OPEN,
        ["ressources-humaines", "finance"],
        [
            (Q, "Quand la prime d'intéressement est-elle versée ?", "Mai ou juin ?"),
            (
                Q,
                "Comment lire la nouvelle fiche de paie ?",
                "Plusieurs lignes ont changé de nom ce mois-ci.",
            ),
            (
                Q,
                "Les tickets-restaurant passent-ils à la carte ?",
                "On m'a parlé d'une carte à la place des carnets.",
            ),
        ],
    ),
    Spec(
        "ventes-grands-comptes",
        "Ventes grands comptes",
        "Les account managers partagent leurs pratiques.",
        AccessMode.BY_REQUEST,
        ["ventes"],
        [
            (
                D,
                "Préparer un renouvellement de contrat six mois avant",
                "Ce qui a marché avec nos trois plus gros clients cette année.",
            ),
            (
                Q,
                "Qui a déjà répondu à un appel d'offres public ?",
                "Un grand compte nous y oblige pour la première fois.",
            ),
        ],
    ),
    Spec(
        "photographie",
        "Photographie",
        "Pour les passionnés d'images, sorties photo et conseils.",
        AccessMode.OPEN,
        [],
        [
            (D, "Sortie photo au marché aux fleurs samedi", "Rendez-vous à 9 h devant l'entrée."),
            (Q, "Quel objectif pour débuter en portrait ?", "J'hésite entre un 35 mm et un 50 mm."),
        ],
        size=(10, 25),
    ),
    Spec(
        "course-a-pied",
        "Course à pied",
        "Entraînements du midi et courses solidaires.",
        AccessMode.OPEN,
        [],
        [
            (
                D,
                "Footing du jeudi midi : qui vient ?",
                "Départ du hall à 12 h 15, 6 km à allure tranquille.",
            ),
            (
                D,
                "Course solidaire de septembre : on fait une équipe ?",
                "Les inscriptions sont reversées à une association locale.",
            ),
        ],
        size=(10, 25),
    ),
    Spec(
        "english-corner",
        "English corner",
        "Practise your English with colleagues, every level welcome.",
        AccessMode.OPEN,
        [],
        [
            (D, "Favourite podcasts to practise listening?", "Share yours!"),
            (
                Q,
                "How do you say « je vous relance » politely?",
                "Chasing a supplier by e-mail without sounding rude.",
            ),
        ],
        size=(10, 30),
    ),
    Spec(
        "mentorat-inter-services",
        "Mentorat inter-services",
        "Un mentor d'un autre service pendant six mois.",
        AccessMode.BY_REQUEST,
        [ALL],
        [
            (
                A,
                "Nouvelle promotion de mentorat : inscriptions ouvertes",
                "Mentors et mentorés, inscrivez-vous avant la fin du mois.",
            ),
            (
                D,
                "Premier bilan d'un binôme ventes et DSI",
                "Six mois de rendez-vous mensuels : ce que chacun a appris de l'autre.",
            ),
        ],
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
]
ANSWERS = [
    "La réponse : passer par le référent de votre service, qui centralise.",
    "C'est la logistique qui gère, le SAV fait le lien avec le client.",
    "Oui, c'est possible : le formulaire est dans la rubrique RH.",
    "Le juridique a validé un circuit court de 4 h pour les réponses standard.",
]
