"""The demo organisation: 8 departments, about 300 employees, 6 executives, managers.

French and English names, job titles and personal narratives. Usernames are stable, so the
seed is idempotent: existing people are left as they are, missing ones are created.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from people.models import Department, Language, User

DEMO_PASSWORD = "ruche-demo"  # noqa: S105 - the demo accounts' published password (demo mode)
EMPLOYEE_COUNT = 300

# A job title for a man and for a woman: (masculine, feminine), the same when it is epicene.
Title = tuple[str, str]

DEPARTMENTS: list[tuple[str, str, Title, list[Title]]] = [
    # slug, name, head's job title, team job titles
    (
        "direction-generale",
        "Direction générale",
        ("Directeur général", "Directrice générale"),
        [
            ("Chargé de mission", "Chargée de mission"),
            ("Assistant de direction", "Assistante de direction"),
        ],
    ),
    (
        "ressources-humaines",
        "Ressources humaines",
        ("DRH", "DRH"),
        [
            ("Chargé de recrutement", "Chargée de recrutement"),
            ("Gestionnaire de paie", "Gestionnaire de paie"),
            ("Responsable formation", "Responsable formation"),
        ],
    ),
    (
        "finance",
        "Finance",
        ("Directeur financier", "Directrice financière"),
        [
            ("Contrôleur de gestion", "Contrôleuse de gestion"),
            ("Comptable", "Comptable"),
            ("Analyste financier", "Analyste financière"),
        ],
    ),
    (
        "marketing-communication",
        "Marketing et communication",
        ("Directeur marketing", "Directrice marketing"),
        [
            ("Chargé de communication interne", "Chargée de communication interne"),
            ("Chef de produit", "Cheffe de produit"),
            ("Community manager", "Community manager"),
        ],
    ),
    (
        "ventes",
        "Ventes",
        ("Directeur commercial", "Directrice commerciale"),
        [
            ("Ingénieur commercial", "Ingénieure commerciale"),
            ("Account manager", "Account manager"),
            ("Assistant commercial", "Assistante commerciale"),
        ],
    ),
    (
        "service-client",
        "Service client",
        ("Responsable service client", "Responsable service client"),
        [
            ("Conseiller clientèle", "Conseillère clientèle"),
            ("Superviseur", "Superviseure"),
            ("Chargé de qualité", "Chargée de qualité"),
        ],
    ),
    (
        "technologies",
        "Technologies de l'information",
        ("Directeur des systèmes d'information", "Directrice des systèmes d'information"),
        [
            ("Développeur", "Développeuse"),
            ("Administrateur systèmes", "Administratrice systèmes"),
            ("Product owner", "Product owner"),
            ("Data analyst", "Data analyst"),
        ],
    ),
    (
        "operations",
        "Opérations",
        ("Directeur des opérations", "Directrice des opérations"),
        [
            ("Responsable logistique", "Responsable logistique"),
            ("Acheteur", "Acheteuse"),
            ("Technicien de maintenance", "Technicienne de maintenance"),
        ],
    ),
]

FIRST_NAMES = [
    "Camille",
    "Julien",
    "Sophie",
    "Thomas",
    "Claire",
    "Nicolas",
    "Léa",
    "Antoine",
    "Manon",
    "Hugo",
    "Chloé",
    "Lucas",
    "Emma",
    "Louis",
    "Inès",
    "Mathieu",
    "Sarah",
    "Maxime",
    "Élodie",
    "Pierre",
    "Margaux",
    "Benoît",
    "Amélie",
    "Olivier",
    "Aurélie",
    "Yannick",
    "Nathalie",
    "Émilie",
    "Rémi",
    "Juliette",
    "Oliver",
    "Emily",
    "James",
    "Charlotte",
    "William",
    "Grace",
    "Henry",
    "Olivia",
    "Jack",
    "Amelia",
    "George",
    "Sophia",
    "Harry",
    "Isabella",
    "Daniel",
]
LAST_NAMES = [
    "Martin",
    "Moreau",
    "Laurent",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Simon",
    "Michel",
    "Lefebvre",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Gauthier",
    "Tremblay",
    "Gagnon",
    "Côté",
    "Bouchard",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Walker",
    "Clarke",
    "Wright",
]

NARRATIVES_FR = [
    (
        "Je suis ici parce que je crois que l'information circule mieux quand on la partage.",
        "Je veux réduire de moitié le temps que nos équipes passent à chercher la bonne personne.",
        "Dites-moi quelles questions vous posez trois fois par semaine : j'en ferai une page.",
    ),
    (
        "J'aime relier les gens des différents services autour d'un même problème.",
        "Lancer une communauté de pratique entre les ventes et le service client.",
        "Venez raconter un irritant client que vous avez résolu : il servira à d'autres.",
    ),
    (
        "Je suis arrivé{e} il y a peu et je veux comprendre comment nous travaillons vraiment.",
        "Cartographier nos processus d'accueil des nouveaux pour qu'ils se sentent vite utiles.",
        "Partagez avec moi votre souvenir de votre premier mois ici, le bon comme le moins bon.",
    ),
    (
        "Notre métier change avec le numérique et je veux que nous le changions nous-mêmes.",
        "Que chaque équipe publie au moins un billet par mois sur ce qu'elle a appris.",
        "Lisez, commentez, contredisez-moi : c'est ainsi que les idées s'améliorent.",
    ),
]
NARRATIVES_EN = [
    (
        "I am here because good ideas die in inboxes, and I would rather they lived in the open.",
        "Build a shared playbook for how we answer customers across every department.",
        "Send me the one process you would delete tomorrow if you could.",
    ),
    (
        "I joined to help engineers and sales speak the same language.",
        "Run a monthly open session where any team can present what it shipped.",
        "Volunteer to present, even five minutes: the first step is the hardest.",
    ),
]
# (for a man, for a woman)
BIOS_FR = [
    ("Passionné par l'amélioration continue.", "Passionnée par l'amélioration continue."),
    (
        "Curieux de tout, surtout de ce qui se passe dans les autres services.",
        "Curieuse de tout, surtout de ce qui se passe dans les autres services.",
    ),
    ("Vingt ans de métier et toujours l'envie d'apprendre.",) * 2,
    (
        "Amateur de données bien rangées et de café bien serré.",
        "Amatrice de données bien rangées et de café bien serré.",
    ),
    ("", ""),
]
# Given names worn by women in the demo (Camille too: the CEO is a woman); the others by men.
FEMININE_NAMES = {
    "Camille",
    "Sophie",
    "Claire",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Sarah",
    "Élodie",
    "Margaux",
    "Amélie",
    "Aurélie",
    "Nathalie",
    "Émilie",
    "Juliette",
    "Emily",
    "Charlotte",
    "Grace",
    "Olivia",
    "Amelia",
    "Sophia",
    "Isabella",
}


def is_feminine(first_name: str) -> bool:
    return first_name in FEMININE_NAMES


def gendered(title: Title, first_name: str) -> str:
    return title[1] if is_feminine(first_name) else title[0]


BIOS_EN = ["Bridging teams since 2012.", "Data, design and good questions.", ""]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


# The people a visitor logs in as; created first so their usernames never change.
NAMED_PEOPLE = [
    # username, first, last, department slug, job title, executive, community manager, admin
    (
        "admin",
        "Alex",
        "Admin",
        "technologies",
        "Administrateur de la plateforme",
        False,
        False,
        True,
    ),
    (
        "camille.martin",
        "Camille",
        "Martin",
        "direction-generale",
        "Directrice générale",
        True,
        False,
        False,
    ),
    (
        "julien.moreau",
        "Julien",
        "Moreau",
        "marketing-communication",
        "Directeur marketing",
        True,
        False,
        False,
    ),
    (
        "sophie.laurent",
        "Sophie",
        "Laurent",
        "marketing-communication",
        "Chargée de communication interne",
        False,
        True,
        False,
    ),
    (
        "thomas.bernard",
        "Thomas",
        "Bernard",
        "service-client",
        "Conseiller clientèle",
        False,
        False,
        False,
    ),
    ("emily.clarke", "Emily", "Clarke", "technologies", "Product owner", False, False, False),
]
DEMO_LOGINS = [
    DemoLogin("admin", "administrator"),
    DemoLogin("camille.martin", "executive (CEO)"),
    DemoLogin("julien.moreau", "executive, head of Marketing"),
    DemoLogin("sophie.laurent", "community manager, communications"),
    DemoLogin("thomas.bernard", "employee (Service client)"),
    DemoLogin("emily.clarke", "employee, writes in English"),
]
# Executives beyond the named ones: heads of Finance, HR, IT and Operations.
EXECUTIVE_DEPARTMENTS = {"finance", "ressources-humaines", "technologies", "operations"}


def print_demo_logins(stdout) -> None:
    stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
    for login in DEMO_LOGINS:
        stdout.write(f"  {login.username:<16} {login.role}")


def _username(first: str, last: str, taken: set[str]) -> str:
    def ascii_slug(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return "".join(c for c in plain.lower() if c.isalnum())

    base = f"{ascii_slug(first)}.{ascii_slug(last)}"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def _profile(rng: random.Random, english: bool, first_name: str) -> dict:
    feminine = is_feminine(first_name)
    why, goal, help_ = (
        part.replace("{e}", "e" if feminine else "")
        for part in rng.choice(NARRATIVES_EN if english else NARRATIVES_FR)
    )
    with_narrative = rng.random() < 0.6
    bio = rng.choice(BIOS_EN) if english else rng.choice(BIOS_FR)[1 if feminine else 0]
    return {
        "preferred_language": Language.ENGLISH if english else Language.FRENCH,
        "bio": bio,
        "narrative_why": why if with_narrative else "",
        "narrative_goal": goal if with_narrative else "",
        "narrative_help": help_ if with_narrative else "",
    }


@transaction.atomic
def seed(*, rng: random.Random, stdout, scale: float = 1.0) -> None:
    """The people of the demo; `scale` sizes the organisation (the named log-ins always)."""
    departments = {}
    for slug, name, _head_title, _titles in DEPARTMENTS:
        departments[slug], _ = Department.objects.get_or_create(slug=slug, defaults={"name": name})

    existing = set(User.objects.values_list("username", flat=True))
    password = make_password(DEMO_PASSWORD)  # hashed once: 300 hashes would take a minute
    # Demo accounts joined over the past 18 months, so onboarding cohorts have a history.
    now = timezone.now()
    to_create: list[User] = []
    for username, first, last, dept, title, executive, manager_role, admin in NAMED_PEOPLE:
        profile = _profile(rng, english=username == "emily.clarke", first_name=first)
        if username in existing:
            continue
        to_create.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@ruche.example",
                department=departments[dept],
                job_title=title,
                is_executive=executive,
                is_community_manager=manager_role,
                is_superuser=admin,
                is_staff=admin,
                password=password,
                date_joined=now - timezone.timedelta(days=540),
                **profile,
            )
        )
    # Everyone else, spread over the departments (Direction générale stays small). The
    # generator replays the same sequence on every run, so the same usernames come out and
    # only the missing people are created.
    taken = {p[0] for p in NAMED_PEOPLE}
    weights = [1, 4, 4, 5, 7, 8, 7, 6]
    slugs = [d[0] for d in DEPARTMENTS]
    titles = {d[0]: d[3] for d in DEPARTMENTS}
    generated = 0
    target = max(round(EMPLOYEE_COUNT * scale), 40) - len(NAMED_PEOPLE)
    while generated < target:
        generated += 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = _username(first, last, taken)
        dept = rng.choices(slugs, weights)[0]
        english = first in FIRST_NAMES[FIRST_NAMES.index("Oliver") :]
        profile = _profile(rng, english, first)
        joined_days_ago = rng.randint(0, 540)
        job_title = gendered(rng.choice(titles[dept]), first)
        if username in existing:
            continue
        to_create.append(
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@ruche.example",
                department=departments[dept],
                job_title=job_title,
                password=password,
                date_joined=now - timezone.timedelta(days=joined_days_ago),
                **profile,
            )
        )
    User.objects.bulk_create(to_create, ignore_conflicts=True)
    _assign_heads_and_managers(rng, departments)
    stdout.write(f"People: {User.objects.count()} employees in {len(departments)} departments.")


def _assign_heads_and_managers(rng: random.Random, departments: dict[str, Department]) -> None:
    """Heads, executives and the reporting line; only fills what is not set yet."""
    ceo = User.objects.get(username="camille.martin")
    named_heads = {"direction-generale": ceo, "marketing-communication": "julien.moreau"}
    for slug, _name, head_title, _titles in DEPARTMENTS:
        department = departments[slug]
        if department.head_id is None:
            head = named_heads.get(slug)
            if isinstance(head, str):
                head = User.objects.get(username=head)
            if head is None:
                # Drawn, not the first by username (which would give every department an
                # "Amélie"); the generator replays the same draw on every run.
                candidates = list(
                    User.objects.filter(department=department, is_superuser=False)
                    .exclude(username__in=[p[0] for p in NAMED_PEOPLE])
                    .order_by("username")
                )
                head = rng.choice(candidates)
            department.head = head
            department.save(update_fields=["head"])
            head.job_title = gendered(head_title, head.first_name)
            head.is_executive = head.is_executive or slug in EXECUTIVE_DEPARTMENTS
            head.manager = None if head == ceo else ceo
            # A head has led the department since before the demo's year began.
            head.date_joined = min(head.date_joined, timezone.now() - timezone.timedelta(days=400))
            head.save(update_fields=["job_title", "is_executive", "manager", "date_joined"])
        head = department.head
        people = list(
            User.objects.filter(department=department, manager__isnull=True)
            .exclude(pk=head.pk)
            .exclude(pk=ceo.pk)
            .order_by("username")
        )
        # Team leads: one for about eight people, reporting to the head.
        leads = people[: max(1, len(people) // 8)]
        for lead in leads:
            lead.manager = head
        for person in people[len(leads) :]:
            person.manager = rng.choice(leads)
        User.objects.bulk_update(people, ["manager"])
