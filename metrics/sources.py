"""What the metrics app reads from other apps, in one place: community names, which
communities exist and who runs which (the community directory the communities app registers
in `core.content`), and the charter's history (the governance kernel, below metrics).

Metrics never import blogs, communities or interactions: the conversation an event belongs to
is recorded on the event itself (`ParticipationEvent.conversation_type`/`conversation_id`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils.translation import gettext as _

from core.content import communities
from governance.models import Charter, CharterAcceptance
from people.models import User

# (as_of, people who accepted by the events) -> (a charter is published, who accepted it).
CharterState = Callable[[datetime, set[int]], tuple[bool, set[int]]]


def community_names(ids: Iterable[int | None]) -> dict[int, str]:
    known = [i for i in ids if i is not None]
    names = communities().names(known) if known else {}
    return {i: names.get(i) or _("Community #%(id)s") % {"id": i} for i in known}


def managed_community_ids(user: User) -> list[int]:
    """The communities this community manager runs (an active manager membership)."""
    return list(communities().managed_by(user))


def all_community_ids() -> list[int]:
    return list(communities().all_ids())


def charter_timeline() -> CharterState:
    """A function (as_of, accepted by events) -> (published, people who accepted), reading
    governance's charters and acceptances once for a run of many days (see charter_state)."""
    charters = [
        (pk, published)
        for pk, published in Charter.objects.filter(published_at__isnull=False)
        .order_by("published_at", "version")
        .values_list("pk", "published_at")
        if published is not None
    ]
    acceptances: dict[int, list[tuple[int, datetime]]] = {}
    if charters:
        for charter_id, user_id, at in CharterAcceptance.objects.values_list(
            "charter_id", "user_id", "accepted_at"
        ):
            acceptances.setdefault(charter_id, []).append((user_id, at))

    def state(as_of: datetime, by_events: set[int]) -> tuple[bool, set[int]]:
        current = [pk for pk, published in charters if published <= as_of]
        if not current:
            return bool(by_events), by_events
        return True, {u for u, at in acceptances.get(current[-1], []) if at < as_of}

    return state
