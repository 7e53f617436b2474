"""The publishing-rights map: who may publish where, computed from the live permission rules.

Nothing here is a list kept by hand: every content app answers for its own places through the
registry (`core.content.rights_sources()`: the blog, the Leadership space, delegations, each
community), asking the very rules it applies when someone publishes, in a fixed number of
queries whatever the number of people. The kernel adds what it knows itself: administrators
moderate everything (`governance.permissions.is_administrator`).

Place keys are the sources' ("blog", "leadership", "prepare:<id>", "community:<id>"); the map
adds two filters of its own that gather rights across places: "announcements" (an "announce"
right anywhere) and "moderation" (a "moderate" right anywhere, or an administrator).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core import content
from core.content import Label, Right
from governance.permissions import is_administrator
from people.models import User

PLACE_BLOG = "blog"
PLACE_LEADERSHIP = "leadership"
PLACE_ANNOUNCEMENTS = "announcements"
PLACE_MODERATION = "moderation"
ASK_PREPARE = "prepare"
# The map's own filters, across places: which ask they look for.
GATHERING_PLACES = {PLACE_ANNOUNCEMENTS: "announce", PLACE_MODERATION: "moderate"}
PAGE_SIZE = 30


@dataclass
class PlaceRights:
    """What one person may do at one place (only the asks allowed), and why (the role)."""

    place: str
    label: Label
    role: Label = ""
    asks: set[str] = field(default_factory=set)

    @property
    def post(self) -> bool:
        return "post" in self.asks

    @property
    def announce(self) -> bool:
        return "announce" in self.asks

    @property
    def moderate(self) -> bool:
        return "moderate" in self.asks


@dataclass
class PersonRights:
    person: User
    rights: list[Right]
    moderates_everything: bool = False  # administrators decide on every report

    def _allowed(self, place: str, ask: str) -> bool:
        return any(r.allowed and r.place == place and r.ask == ask for r in self.rights)

    @property
    def own_blog(self) -> bool:
        return self._allowed(PLACE_BLOG, "post")

    @property
    def leadership(self) -> bool:
        return self._allowed(PLACE_LEADERSHIP, "post")

    @property
    def prepares_for(self) -> list[Label]:
        """Whom this person prepares drafts for (a delegate of an executive)."""
        return [r.place_label for r in self.rights if r.allowed and r.ask == ASK_PREPARE]

    @property
    def shared_places(self) -> list[PlaceRights]:
        """The places shared with others (communities) where this person has a right."""
        places: dict[str, PlaceRights] = {}
        for right in self.rights:
            if right.place in (PLACE_BLOG, PLACE_LEADERSHIP) or right.ask == ASK_PREPARE:
                continue
            if right.allowed:
                entry = places.setdefault(right.place, PlaceRights(right.place, right.place_label))
                entry.asks.add(right.ask)
                entry.role = entry.role or right.role
        return list(places.values())

    @property
    def every_place(self) -> bool:
        """An administrator allowed everything everywhere: the map says so in one line."""
        shared = [r for r in self.rights if r.place not in (PLACE_BLOG, PLACE_LEADERSHIP)]
        return self.moderates_everything and all(r.allowed for r in shared)

    @property
    def announces_in(self) -> list[PlaceRights]:
        return [p for p in self.shared_places if p.announce]

    @property
    def moderates_in(self) -> list[PlaceRights]:
        return [p for p in self.shared_places if p.moderate]


def place_choices() -> list[tuple[str, Label]]:
    """The places of the filter: the sources' own places (blog, Leadership space), the map's
    gathering filters, then every keyed place (each community)."""
    places = [place for source in content.rights_sources() for place in source.places()]
    return [
        *[(key, label) for key, label in places if ":" not in key],
        (PLACE_ANNOUNCEMENTS, _("Official announcements (any community)")),
        (PLACE_MODERATION, _("Moderation")),
        *[(key, label) for key, label in places if ":" in key],
    ]


def people_rights(people: list[User], *, place: str | None = None) -> list[PersonRights]:
    """The rights of each person in `people`, asked of the live rules (each source in a fixed
    number of queries); only at `place` when given (a source's place key)."""
    by_person: dict[int, list[Right]] = defaultdict(list)
    for source in content.rights_sources():
        for person_id, rights in source.rights(people, place=place).items():
            by_person[person_id].extend(rights)
    return [
        PersonRights(
            person=person,
            rights=by_person.get(person.pk, []),
            moderates_everything=is_administrator(person),
        )
        for person in people
    ]


def has_right_at(rights: PersonRights, place: str) -> bool:
    """Whether the person has a right the place filter looks for."""
    if place == PLACE_MODERATION:
        return rights.moderates_everything or bool(rights.moderates_in)
    ask = GATHERING_PLACES.get(place)
    return any(r.allowed and (r.ask == ask if ask else r.place == place) for r in rights.rights)


def people_for_map(*, query: str = "", department_id: int | None = None) -> QuerySet[User]:
    people = User.objects.filter(is_active=True).select_related("department")
    if department_id:
        people = people.filter(department_id=department_id)
    if query:
        for word in query.split()[:5]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(display_name__icontains=word)
                | Q(username__icontains=word)
                | Q(job_title__icontains=word)
            )
    return people.order_by("last_name", "first_name", "username")


def rights_page(
    *, query: str = "", department_id: int | None = None, place: str = "", page: str | None
) -> Page[PersonRights]:
    """One page of the map: the people matching the filters, each with all their rights.

    A place filter first asks the rules of everyone matching the other filters (only about
    that place, unless it gathers several), then the page shows the full rights of its rows.
    """
    people = people_for_map(query=query, department_id=department_id)
    if place:
        asked = None if place in GATHERING_PLACES else place
        computed = people_rights(list(people), place=asked)
        listed: list[User] | QuerySet[User] = [r.person for r in computed if has_right_at(r, place)]
    else:
        listed = people
    shown = Paginator(listed, PAGE_SIZE).get_page(page)
    # The same page (number, paginator), its rows now the people's rights.
    paginator = cast("Paginator[Any]", shown.paginator)
    return Page(people_rights(list(shown.object_list)), shown.number, paginator)


# --- High-impact changes: confirmed before they are written -----------------------------------


def needs_confirmation(person: User, *, role: str, granted: bool) -> bool:
    """Granting the executive role is confirmed first: it gives a voice to the whole company."""
    return role == "executive" and granted and not person.is_executive


def executive_consequences(person: User) -> list[Label]:
    """What granting the executive role does, said on the confirmation page."""
    name = {"name": person.name}
    return [
        _(
            "%(name)s will publish in the Leadership space, which every employee reads, and "
            "their posts will be shown as an executive's."
        )
        % name,
        _(
            "Only %(name)s may publish their own posts there: a delegate can prepare a draft, "
            "never publish it. They count in the executives' metrics (leader engagement, reach, "
            "the maturity stage)."
        )
        % name,
    ]
