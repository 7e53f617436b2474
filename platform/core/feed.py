"""The home feed: what the signed-in employee sees first.

Several apps contribute items (blogs: posts of followed people and leaders, then everyone;
communities: activity of your communities). Each content kind may declare a `feed_source` in
the registry (`core.content`): an object with two methods, both applying the source's own
visibility selectors:

    count(request) -> int                     how many items the source has for this person
    items(request, limit) -> list[FeedItem]   its first `limit` items, in feed order

Items are merged by (priority, newest date first): priority 0 is "for you" (followed people,
the Leadership space, your communities), 1 is everything else. A page of the feed asks every
source for at most page × page size items, so the number of queries does not grow with the
amount of content (each source runs a fixed number of queries).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

from core import content

PAGE_SIZE = 15


@dataclass(order=True)
class FeedItem:
    """One entry of the home feed; `template` is included with `item` in its context."""

    sort_key: tuple = field(init=False, repr=False)
    priority: int
    date: datetime
    template: str = field(compare=False)
    object: Any = field(compare=False)
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # Priority first, then newest first (negated timestamp).
        self.sort_key = (self.priority, -self.date.timestamp())


class MergedFeed:
    """A sequence over every source, sliced lazily, so that Django's Paginator can page it."""

    def __init__(self, request: HttpRequest, sources: list[content.FeedSource]):
        self.request = request
        self.sources = sources
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = sum(source.count(self.request) for source in self.sources)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        stop = index.stop if index.stop is not None else self.count()
        merged = heapq.merge(*(sorted(s.items(self.request, stop)) for s in self.sources))
        return list(merged)[index.start or 0 : stop]


def home_feed_context(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {"feed_items": [], "feed_page": None}
    paginator = Paginator(MergedFeed(request, content.feed_sources()), PAGE_SIZE)
    feed_page = paginator.get_page(request.GET.get("page"))
    return {"feed_items": list(feed_page.object_list), "feed_page": feed_page}
