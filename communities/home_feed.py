"""Communities' contribution to the home feed (core.feed): recent activity of your communities
(new threads and threads with new replies), "for you" priority, newest activity first.
"""

from __future__ import annotations

from django.http import HttpRequest

from communities import selectors
from core.feed import FeedItem

TEMPLATE = "communities/includes/feed_item.html"


class CommunityActivityFeedSource:
    def count(self, request: HttpRequest) -> int:
        user = request.user
        if not user.is_authenticated:  # the home page is behind login; nothing for nobody
            return 0
        return selectors.threads_for_feed(user=user).count()

    def items(self, request: HttpRequest, limit: int) -> list[FeedItem]:
        user = request.user
        if not user.is_authenticated:
            return []
        threads = selectors.threads_for_feed(user=user)[:limit]
        return [
            FeedItem(priority=0, date=thread.last_activity_at, template=TEMPLATE, object=thread)
            for thread in threads
        ]
