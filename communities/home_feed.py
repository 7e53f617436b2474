"""Communities' contribution to the home feed (core.feed): the threads of your communities
(new threads and threads with new replies), by last activity, with the "for you" head start;
and to the weekly content digest (core.content.DigestSource): the new threads of your
communities you have not opened.
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.text import Truncator

from communities import selectors
from core.content import DigestItem
from core.feed import FeedItem
from people.models import User

TEMPLATE = "communities/includes/feed_item.html"


class CommunityActivityFeedSource:
    def items(self, user: User, limit: int, *, now: datetime) -> list[FeedItem]:
        if not (user.is_authenticated and user.is_active):
            return []
        items = []
        for row in selectors.threads_for_feed(user=user, now=now)[:limit]:
            author = User(
                username=row["author__username"],
                display_name=row["author__display_name"],
                first_name=row["author__first_name"],
                last_name=row["author__last_name"],
            )
            url = reverse(
                "communities:thread",
                kwargs={"slug": row["community__slug"], "thread_id": row["pk"]},
            )
            items.append(
                FeedItem(
                    fresh=row["fresh"],
                    rank=row["rank"],
                    date=row["last_activity_at"],
                    template=TEMPLATE,
                    key=f"thread:{row['pk']}",
                    author_id=row["author_id"],
                    values={
                        "title": row["title"],
                        "url": url,
                        "kind": row["kind"],
                        "community": row["community__name"],
                        "author": author.name,
                        "department": row["author__department__name"],
                        "reply_count": row["reply_count"],
                        "last_activity_at": row["last_activity_at"],
                    },
                )
            )
        return items


class CommunityThreadDigestSource:
    """New threads of the reader's communities (`selectors.threads_for_digest`): one query."""

    def digest_items(
        self, user: User, *, since: datetime, until: datetime, limit: int
    ) -> list[DigestItem]:
        if not (user.is_authenticated and user.is_active):
            return []
        items = []
        for row in selectors.threads_for_digest(user=user, since=since, until=until)[:limit]:
            author = User(
                username=row["author__username"],
                display_name=row["author__display_name"],
                first_name=row["author__first_name"],
                last_name=row["author__last_name"],
            )
            items.append(
                DigestItem(
                    section="communities",
                    key=f"thread:{row['pk']}",
                    title=row["title"],
                    url=reverse(
                        "communities:thread",
                        kwargs={"slug": row["community__slug"], "thread_id": row["pk"]},
                    ),
                    author=author.name,
                    date=row["created_at"],
                    excerpt=Truncator(" ".join(row["body"].split())).words(30),
                    place=row["community__name"],
                )
            )
        return items
