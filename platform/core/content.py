"""The registry of content kinds: what the platform layers know about content they do not own.

Blogs own posts, communities own communities and threads, interactions own comments. The
layers below them (governance, metrics, notifications, the home feed) never import those apps:
they ask this registry. Each content app declares its kinds in one adapter module of its own
(`blogs/content.py`, `communities/content.py`, `interactions/content.py`) and registers them
from its `AppConfig.ready()`::

    from core.content import register
    register(ContentKind(key="post", model=PostPage, ...))

A kind says how to load an object by id, who may see it, who may moderate it, whose it is,
where it lives, how it is shown (excerpt, URL), how it is hidden and restored by moderation,
and optionally what it adds to the editorial calendar, the home feed (and what is pinned on
top of it, `pin_source`), the weekly content digest e-mail (`digest_source`), the publishing-rights
map, global search (`search_source`) and which conversation its participation events belong to.

Rules every adapter keeps:
- `load` returns None for an id that does not exist *or is not of this kind* (a comment on a
  post is not a "reply"), never raises.
- `visible_to` is the same function the owning app's selectors and views use: the registry
  adds no rule of its own.
- `hide`/`restore` only change the object's moderation state (`core.models.Moderated`
  fields) and save it; permission, audit, notification and live update are done once, for
  every kind, by `governance.services.content_hide` / `content_restore`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models
from django.utils.functional import Promise

if TYPE_CHECKING:
    from core.feed import FeedItem
    from people.models import User

Label = str | Promise


@dataclass(frozen=True)
class CalendarEntry:
    """One dated item of the editorial calendar (a published or scheduled post, an
    announcement). `place` is a key of `calendar_places` (filter), `place_label` its name."""

    title: str
    at: datetime
    url: str
    kind: str
    place: str
    place_label: Label
    author: User | None
    scheduled: bool


@dataclass(frozen=True)
class Right:
    """One publishing right of one person, as the owning app's permission rules answer it.

    `place` is a stable key ("blog", "leadership", "community:12"), `ask` what is asked there
    ("post", "announce", "moderate"), `allowed` the live answer and `role` the reason shown
    (a translated label such as "manager")."""

    place: str
    place_label: Label
    ask: str
    allowed: bool
    role: Label = ""


class FeedSource(Protocol):
    """A contribution to the home feed (see core.feed for the order every source applies)."""

    def items(self, user: User, limit: int, *, now: datetime) -> list[FeedItem]:
        """Its first `limit` items for `user`, in feed order, through its visibility
        selectors, in one query, as plain values (no model instances)."""
        ...


@dataclass(frozen=True)
class DigestItem:
    """One line of the weekly content digest e-mail, as plain values (core.content adapters
    build it, notifications renders it in the reader's language).

    `section`: why the reader gets it, one of `DIGEST_SECTIONS` ("people": someone they
    follow; "communities": a new thread in one of their communities; "leaders": an
    executive's post they have not read). `url` is a site path; `place` where it lives (a
    community's name, or empty for a blog)."""

    section: str
    key: str
    title: str
    url: str
    author: str
    date: datetime
    excerpt: str = ""
    place: str = ""


DIGEST_SECTIONS = ("people", "communities", "leaders")


class DigestSource(Protocol):
    """A contribution to the weekly content digest (notifications.digest)."""

    def digest_items(
        self, user: User, *, since: datetime, until: datetime, limit: int
    ) -> list[DigestItem]:
        """What is new for `user` in [since, until), through the owning app's visibility
        selectors (never a post or thread `user` may not see), newest first, at most `limit`
        items, in a fixed number of queries whatever the amount of content."""
        ...


class PinSource(Protocol):
    """What stays on top of the home page until the reader acts on it (a must-read
    announcement until it is acknowledged). Its items are cached with page 1 of the feed:
    whatever adds or removes a pin calls `core.feed.feed_changed()` (publication) or
    `feed_changed_for(user_id)` (the reader's own acknowledgement)."""

    def pinned(self, user: User, *, now: datetime) -> list[FeedItem]:
        """The items pinned for `user`, newest first, in one query, as plain values."""
        ...


@dataclass(frozen=True)
class SearchText:
    """What global search stores of one object: its title, its plain text, its date and where
    it lives. Only words: who may see it is asked of `SearchSource.visible` at each search."""

    title: str
    body: str
    date: datetime
    author_id: int | None = None
    community_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class SearchSource:
    """How a kind takes part in global search (the `search` app, over `search_sources()`).

    `visible(user)` is the owning app's selector of every object `user` may see (the same one
    its pages use), so a search can never show what a page would not; `text(obj)` the words
    to index; `objects()` every object to index (`manage.py search_reindex`), with what
    `text` reads already joined; `text_fields` the fields whose change re-indexes an object
    (a save that names only other fields, such as a counter, does not)."""

    visible: Callable[[User], models.QuerySet[Any]]
    text: Callable[[Any], SearchText]
    objects: Callable[[], models.QuerySet[Any]]
    text_fields: frozenset[str]
    # Narrow `visible(user)` to one community (None: this kind has no community filter).
    in_community: Callable[[models.QuerySet[Any], int], models.QuerySet[Any]] | None = None


class RightsSource(Protocol):
    """What a content app contributes to the publishing-rights map."""

    def places(self) -> list[tuple[str, Label]]:
        """Every place it knows, for the map's place filter (key, label)."""
        ...

    def rights(self, people: Sequence[User], *, place: str | None = None) -> dict[int, list[Right]]:
        """The rights of each person (by id), asked of the live rules in a fixed number of
        queries whatever the number of people; only `place` when given."""
        ...


class CommunityDirectory(Protocol):
    """What the lower layers need to know about communities (metrics, governance console)."""

    def names(self, ids: Iterable[int]) -> dict[int, str]: ...

    def all_ids(self) -> list[int]: ...

    def managed_by(self, user: User) -> list[int]:
        """Ids of the communities `user` is an active manager of."""
        ...

    def visible_to(self, user: User) -> list[tuple[int, str]]:
        """(id, name) of the communities `user` may see, by name."""
        ...


@dataclass(frozen=True, kw_only=True)
class ContentKind:
    key: str
    model: type[models.Model]
    label: Label
    load: Callable[[int], models.Model | None]
    visible_to: Callable[[User, Any], bool]
    can_moderate: Callable[[User, Any], bool]
    author: Callable[[Any], User | None]
    community_id: Callable[[Any], int | None]
    excerpt: Callable[[Any], str]
    url: Callable[[Any], str]
    # Whether an object of this kind is the one this kind describes (several kinds may share a
    # model: a comment on a post is a "comment", on a thread a "reply").
    matches: Callable[[Any], bool] = lambda obj: True
    # Moderation: None when the kind cannot be hidden (a community).
    hide: Callable[..., None] | None = None  # hide(obj, *, actor, reason)
    restore: Callable[..., None] | None = None  # restore(obj, *, actor)
    is_hidden: Callable[[Any], bool] = lambda obj: getattr(obj, "hidden_at", None) is not None
    # Called in transaction.on_commit after a hide or restore (live update, search index).
    after_moderation: Callable[[Any], None] | None = None
    # The key given to comments written on this kind ("comment" on a post, "reply" on a thread).
    comment_kind: str = "comment"
    # The conversation an object belongs to, as (kind key, id): a comment belongs to its post
    # or thread, a post or thread to itself. None when the kind has no conversation.
    conversation: Callable[[Any], tuple[str, int] | None] | None = None
    calendar_places: Callable[[User], list[tuple[str, Label]]] | None = None
    calendar_entries: Callable[[User, date, date], list[CalendarEntry]] | None = None
    feed_source: FeedSource | None = None
    pin_source: PinSource | None = None
    digest_source: DigestSource | None = None
    rights_source: RightsSource | None = None
    search_source: SearchSource | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_KINDS: dict[str, ContentKind] = {}
_COMMUNITIES: list[CommunityDirectory] = []


def register(kind: ContentKind) -> None:
    """Declare a kind. Registering the same key again replaces it (autoreload, tests); two
    different models under one key is a bug."""
    existing = _KINDS.get(kind.key)
    if existing is not None and existing.model.__name__ != kind.model.__name__:
        raise ValueError(f"content kind {kind.key!r} is already registered for {existing.model}")
    _KINDS[kind.key] = kind


def register_communities(directory: CommunityDirectory) -> None:
    """Communities register their directory once (there is one)."""
    _COMMUNITIES[:] = [directory]


def communities() -> CommunityDirectory:
    if not _COMMUNITIES:
        raise LookupError("no community directory registered (communities app not ready)")
    return _COMMUNITIES[0]


def kinds() -> list[ContentKind]:
    """Every registered kind, in registration order."""
    return list(_KINDS.values())


def kind(key: str) -> ContentKind:
    """The kind registered as `key`; KeyError for an unknown key (callers turn it into 404)."""
    return _KINDS[key]


def kind_for(obj: models.Model) -> ContentKind:
    """The kind describing `obj` (Wagtail pages: pass the specific page)."""
    for candidate in _KINDS.values():
        if isinstance(obj, candidate.model) and candidate.matches(obj):
            return candidate
    raise LookupError(f"{type(obj).__name__} is not a registered content kind")


def load(key: str, object_id: Any) -> tuple[ContentKind, models.Model] | None:
    """(kind, object) for a key and an id taken from a URL or a form, or None when the key is
    unknown, the id is not a number or no such object exists."""
    found = _KINDS.get(key)
    if found is None:
        return None
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    obj = found.load(pk)
    return (found, obj) if obj is not None else None


def visible_to(user: User, obj: models.Model) -> bool:
    """Whether `user` may see `obj`, by its owning app's rule."""
    return kind_for(obj).visible_to(user, obj)


def conversation_of(obj: models.Model | None) -> tuple[str, int] | None:
    """The conversation `obj` belongs to, or None (not content, or a kind without one)."""
    if obj is None:
        return None
    try:
        found = kind_for(obj)
    except LookupError:
        return None
    return found.conversation(obj) if found.conversation is not None else None


def feed_sources() -> list[FeedSource]:
    return [k.feed_source for k in _KINDS.values() if k.feed_source is not None]


def digest_sources() -> list[DigestSource]:
    return [k.digest_source for k in _KINDS.values() if k.digest_source is not None]


def pin_sources() -> list[PinSource]:
    return [k.pin_source for k in _KINDS.values() if k.pin_source is not None]


def rights_sources() -> list[RightsSource]:
    return [k.rights_source for k in _KINDS.values() if k.rights_source is not None]


def searchable_kinds() -> list[ContentKind]:
    """The kinds global search covers, in registration order."""
    return [k for k in _KINDS.values() if k.search_source is not None]
