"""What global search covers: every registered kind with a `search_source`, and people.

People are not content (nothing to moderate, no conversation): the search app, which sits
above `people`, declares their source here with the people app's own selector.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import content
from core.content import Label, SearchSource, SearchText
from people.models import User
from people.selectors import people_list

PERSON = "person"


@dataclass(frozen=True)
class Source:
    key: str
    label: Label
    model: type[models.Model]
    search: SearchSource
    load: Any  # (pk) -> object of this kind or None
    url: Any  # (object) -> str


def _people_visible(user: User) -> models.QuerySet[User]:
    if not (user.is_authenticated and user.is_active):
        return User.objects.none()
    return people_list()


def _person_text(person: User) -> SearchText:
    department = person.department.name if person.department is not None else ""
    return SearchText(
        title=person.name,
        body=" ".join(filter(None, [person.job_title, department, person.username])),
        date=person.date_joined,
    )


PEOPLE_SEARCH = SearchSource(
    visible=_people_visible,
    text=_person_text,
    objects=lambda: User.objects.select_related("department").order_by("pk"),
    text_fields=frozenset(
        {"first_name", "last_name", "display_name", "username", "job_title", "department"}
    ),
)

# Labels of the kind filter, plural (the registry's labels are singular).
PLURALS: dict[str, Label] = {
    "post": _("Posts"),
    "comment": _("Comments"),
    "thread": _("Threads"),
    "reply": _("Replies"),
    "community": _("Communities"),
    PERSON: _("People"),
}


def sources() -> list[Source]:
    """Every searchable kind, people last."""
    found = [
        Source(k.key, k.label, k.model, k.search_source, k.load, k.url)
        for k in content.searchable_kinds()
        if k.search_source is not None
    ]
    found.append(
        Source(
            PERSON,
            pgettext_lazy("content kind", "person"),
            User,
            PEOPLE_SEARCH,
            lambda pk: User.objects.select_related("department").filter(pk=pk).first(),
            lambda person: person.get_absolute_url(),
        )
    )
    return found


def source(key: str) -> Source | None:
    return next((s for s in sources() if s.key == key), None)


def plural(key: str) -> Label:
    return PLURALS.get(key, key)
