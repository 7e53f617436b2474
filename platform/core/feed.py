"""The home feed: what the signed-in employee sees first ("Latest").

Several apps contribute items (blogs: every visible post; communities: threads of your
communities). Each content kind may declare a `feed_source` in the registry (`core.content`):
an object with one method, applying the source's own visibility selectors:

    items(user, limit, *, now) -> list[FeedItem]   its first `limit` items, in feed order

**The order ("Latest")**, written once here and shown to readers as the page's help text
(`ORDER_HELP`):

1. Newest first, by the item's date (a post's first publication, a thread's last activity).
2. What is *for you* (people you follow, the Leadership space, threads of your communities)
   gets a head start of `HEAD_START` (6 hours): it sorts as if it were 6 hours newer.
3. Nothing older than `FRESH_FOR` (24 hours) ever sorts above an item of the last 24 hours,
   head start or not. So a new colleague's post published today can only be pushed down by
   other items of the same day: it is on the first page unless more than `PAGE_SIZE` newer or
   for-you items arrived in those hours.

Each source computes the same key in SQL (`fresh` first, then `rank` = date + head start) so
that a page of the feed asks every source for at most page × page size + 1 items and the
number of queries does not grow with the amount of content (one query per source).

**Page 1 is cached** per reader (the Django cache; Redis in production). The entry is valid
while two versions it was built under are unchanged:
- the global generation, bumped by `feed_changed()` (at once and on commit) for anything
  that changes what someone's feed holds (a post published, unpublished or deleted, a thread
  started, edited or deleted, a reply, moderation);
- the reader's own version, bumped by `feed_changed_for(user_id)` (likewise) for their
  follows and memberships (joining, leaving, removal, approval).
Both versions are read *before* the database, so a change committed while a page is being
built leaves that page under the old versions, never served again. The entry also expires
after `CACHE_SECONDS`, which bounds how long the 24-hour boundary of rule 3 may lag.

**Pinned** items (`core.content.PinSource`: a must-read announcement not yet acknowledged)
are shown above the feed, newest first, and cached with page 1 under the same two versions.

**Unseen**: each reader has a "seen up to" marker in the cache. Opening page 1 moves it to
now and marks, on that page and the pages loaded after it, the items newer than where it was
(the reader's own items are never "new").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from heapq import merge
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core import content
from core.rendering import cached_fragment, fragment_key, page_token
from core.versions import bump_now_and_on_commit, read_versions, usual_version

PAGE_SIZE = 15
# "Load more" goes this far at most; beyond, the blog and community pages list everything.
MAX_PAGE = 40
FRESH_FOR = timedelta(hours=24)
HEAD_START = timedelta(hours=6)
CACHE_SECONDS = 300
# A rendered page of the feed is keyed by the minute: it is never read after two minutes.
HTML_SECONDS = 120
SEEN_SECONDS = 60 * 60 * 24 * 90

ORDER_HELP = _(
    "Latest first. Posts of people you follow, of the Leadership space and threads of your "
    "communities count as six hours newer, but nothing older than a day goes above "
    "something published in the last 24 hours: a colleague's new post stays on the first "
    "page on its first day."
)

# The home page is the most visited: its version comes with the first read of every request.
GENERATION_KEY = usual_version("feed:generation")


@dataclass(order=True)
class FeedItem:
    """One entry of the home feed, made of plain values (no model instances: they are cached
    and rendered by `template`, included with `item` in its context).

    `fresh`: dated within `FRESH_FOR`; `rank`: the date plus the head start, if any;
    `author_id`: whose item it is (never "new" to them); `values`: what the template shows.
    """

    sort_key: tuple = field(init=False, repr=False)
    fresh: bool = field(compare=False)
    rank: datetime = field(compare=False)
    date: datetime = field(compare=False)
    template: str = field(compare=False)
    key: str = field(compare=False)
    author_id: int | None = field(compare=False, default=None)
    values: dict[str, Any] = field(default_factory=dict, compare=False)
    unseen: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        # Fresh items first, then the highest rank (negated timestamp), then a stable key.
        self.sort_key = (0 if self.fresh else 1, -self.rank.timestamp(), self.key)


def fresh_since(now: datetime) -> datetime:
    return now - FRESH_FOR


def feed_items(user: Any, *, page: int, now: datetime) -> tuple[list[FeedItem], bool]:
    """The items of `page` (from 1) and whether there is a next page; one query per source."""
    stop = page * PAGE_SIZE
    merged = list(
        merge(*(sorted(s.items(user, stop + 1, now=now)) for s in content.feed_sources()))
    )
    return merged[stop - PAGE_SIZE : stop], len(merged) > stop


def pinned_items(user: Any, *, now: datetime) -> list[FeedItem]:
    """What stays on top of the home page for `user`; one query per pin source."""
    pins = [item for source in content.pin_sources() for item in source.pinned(user, now=now)]
    return sorted(pins, key=lambda item: (-item.date.timestamp(), item.key))


# --- The page-1 cache --------------------------------------------------------------------------


def _reader_key(user_id: int) -> str:
    return f"feed:reader:{user_id}"


def _page_key(user_id: int) -> str:
    return f"feed:page1:{user_id}"


def feed_changed() -> None:
    """Every reader's cached page 1 is stale (call inside the writing transaction)."""
    bump_now_and_on_commit(GENERATION_KEY)


def feed_changed_for(user_id: int) -> None:
    """This reader's cached page 1 is stale: their follows or memberships changed."""
    bump_now_and_on_commit(_reader_key(user_id))


def _versions(user_id: int) -> tuple[int, int, Any, Any]:
    """(generation, reader version, cached entry, seen marker) in one round trip."""
    keys = [GENERATION_KEY, _reader_key(user_id)]
    found = read_versions(keys, also=(_page_key(user_id), _seen_key(user_id)))
    return found[keys[0]], found[keys[1]], found[_page_key(user_id)], found[_seen_key(user_id)]


def first_page(user: Any, *, now: datetime) -> tuple[list[FeedItem], bool, list[FeedItem], Any]:
    """Page 1, whether there is a next page, the pinned items (from the reader's cache entry
    while both its versions hold, else built and cached) and the stored seen marker, read in
    the same round trip (`seen_marker`'s `stored`)."""
    generation, version, entry, seen = _versions(user.pk)
    if entry is not None and len(entry) == 5 and entry[:2] == (generation, version):
        return entry[2], entry[3], entry[4], seen
    items, has_next = feed_items(user, page=1, now=now)
    pins = pinned_items(user, now=now)
    cache.set(
        _page_key(user.pk), (generation, version, items, has_next, pins), timeout=CACHE_SECONDS
    )
    return items, has_next, pins, seen


# --- What the reader has not seen yet ------------------------------------------------------------


MISSING = object()  # `seen_marker`: not read yet


def _seen_key(user_id: int) -> str:
    return f"feed:seen:{user_id}"


def seen_marker(
    user_id: int, *, page: int, now: datetime, stored: Any = MISSING
) -> datetime | None:
    """Where the reader had read up to before this visit. Page 1 moves the marker to `now`
    (keeping the previous one for the pages loaded after it); None on a first visit.
    `stored`: the cached marker when the caller has just read it (`first_page`)."""
    if stored is MISSING:
        stored = cache.get(_seen_key(user_id))
    previous, current = stored or (None, None)
    if page == 1:
        cache.set(_seen_key(user_id), (current, now.isoformat()), timeout=SEEN_SECONDS)
        marker = current
    else:
        marker = previous if previous is not None or current is None else current
    return parse_datetime(marker) if isinstance(marker, str) else None


def mark_unseen(items: list[FeedItem], *, user_id: int, seen: datetime | None) -> list[FeedItem]:
    """Copies of `items` with `unseen` set (the cached ones are shared, never changed)."""
    marked = []
    for item in items:
        unseen = seen is not None and item.date > seen and item.author_id != user_id
        marked.append(item if item.unseen == unseen else _with_unseen(item, unseen))
    return marked


def _with_unseen(item: FeedItem, unseen: bool) -> FeedItem:
    copy = FeedItem(
        fresh=item.fresh,
        rank=item.rank,
        date=item.date,
        template=item.template,
        key=item.key,
        author_id=item.author_id,
        values=item.values,
    )
    copy.unseen = unseen
    return copy


FEED_PAGE_TEMPLATE = "core/includes/feed_page.html"


def feed_page_html(
    request: Any, items: list[FeedItem], *, feed_next: int | None, now: datetime
) -> SafeString:
    """A page of the feed as `core/includes/feed_page.html` renders it, kept in the cache
    under every value it shows: the items are plain values, so their `repr` says it all. The
    cards say how long ago things happened to the minute, so the minute is part of the key."""
    templates = (FEED_PAGE_TEMPLATE, *sorted({item.template for item in items}))
    state = (
        [(i.template, i.key, i.unseen, i.date, i.values) for i in items],
        feed_next,
        now.replace(second=0, microsecond=0),
    )
    context = {"feed_items": items, "feed_next": feed_next}
    return cached_fragment(
        fragment_key(templates, state),
        lambda token: render_to_string(
            FEED_PAGE_TEMPLATE, {**context, "csrf_token": token}, request=request
        ),
        csrf_token=page_token(request),
        seconds=HTML_SECONDS,
    )


def home_feed_context(request: Any, *, page: int = 1) -> dict[str, Any]:
    """The home page's feed: page `page` (1 from the cache), its unseen marks, the next page."""
    user = request.user
    if not user.is_authenticated:
        return {"feed_items": [], "feed_pinned": [], "feed_next": None, "feed_help": ORDER_HELP}
    now = timezone.now()
    pins: list[FeedItem] = []
    stored: Any = MISSING
    if page == 1:
        items, has_next, pins, stored = first_page(user, now=now)
    else:
        items, has_next = feed_items(user, page=page, now=now)
    seen = seen_marker(user.pk, page=page, now=now, stored=stored)
    marked = mark_unseen(items, user_id=user.pk, seen=seen)
    feed_next = page + 1 if has_next and page < MAX_PAGE else None
    return {
        "feed_items": marked,
        "feed_html": feed_page_html(request, marked, feed_next=feed_next, now=now),
        "feed_pinned": pins,
        "feed_next": feed_next,
        "feed_page_number": page,
        "feed_help": ORDER_HELP,
        "feed_unseen": sum(1 for item in marked if item.unseen),
    }
