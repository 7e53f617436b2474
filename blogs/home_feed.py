"""The blogs' contribution to the home feed (core.feed): posts of the people you follow and of
the Leadership space first, then everyone's, newest first within each group.
"""

from __future__ import annotations

from django.http import HttpRequest

from blogs import selectors
from core.feed import FeedItem

TEMPLATE = "blogs/includes/feed_post.html"


class PostFeedSource:
    def count(self, request: HttpRequest) -> int:
        return selectors.posts_visible_to(request.user).count()

    def items(self, request: HttpRequest, limit: int) -> list[FeedItem]:
        posts = selectors.home_feed_posts(user=request.user)[:limit]
        return [
            FeedItem(
                priority=post.priority,
                date=post.first_published_at,
                template=TEMPLATE,
                object=post,
            )
            for post in posts
        ]
