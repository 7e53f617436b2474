"""The "post" content kind: what the platform layers know about blog posts (core.content).

Governance (moderation, calendar, rights map), the home feed, notifications and metrics ask
the registry, never this app: everything they need about a post is declared here, and every
answer is the one blogs itself gives (blogs.permissions, blogs.selectors).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision, Site
from wagtail.search import index

from blogs import selectors
from blogs.feeds import blocks_summary, post_text
from blogs.models import BlogPage, Delegation, PostPage
from blogs.permissions import (
    can_moderate_post,
    can_publish_on_blog,
    can_see_scheduled_post_of,
    can_view_post,
)
from core import content
from core.content import (
    CalendarEntry,
    ContentKind,
    DigestItem,
    Label,
    Right,
    SearchSource,
    SearchText,
)
from core.feed import FeedItem
from people.models import User

KEY = "post"
PLACE_BLOGS = "blogs"
PLACE_LEADERSHIP = "leadership"
PLACE_BLOG = "blog"
PREPARE_PREFIX = "prepare:"
CALENDAR_LIMIT = 2000
FEED_TEMPLATE = "blogs/includes/feed_post.html"


# --- Loading, showing, moderating ---------------------------------------------------------------
def post_load(pk: int) -> PostPage | None:
    """The post with what the checks and the moderation notice read; None when missing."""
    return PostPage.objects.select_related("author", "prepared_by").filter(pk=pk).first()


def post_hide(post: PostPage, *, actor: User, reason: str) -> None:
    post.moderation_hide(actor=actor, reason=reason)


def post_restore(post: PostPage, *, actor: User) -> None:
    post.moderation_restore(actor=actor)


def post_after_moderation(post: PostPage) -> None:
    """On commit of a hide or restore: search answers from the new state at once."""
    index.insert_or_update_object(post)


# --- Home feed ----------------------------------------------------------------------------------
class PostFeedSource:
    """Every post the reader may read, in the feed's "Latest" order (core.feed), with a head
    start for people they follow and for the Leadership space; plain values only."""

    def items(self, user: User, limit: int, *, now: datetime) -> list[FeedItem]:
        if not (user.is_authenticated and user.is_active):
            return []
        roots = Site.get_site_root_paths()  # cached by Wagtail
        return [
            FeedItem(
                fresh=row["fresh"],
                rank=row["rank"],
                date=row["first_published_at"],
                template=FEED_TEMPLATE,
                key=f"{KEY}:{row['pk']}",
                author_id=row["author_id"],
                values={
                    "title": row["title"],
                    "url": selectors.post_path(row["url_path"], roots),
                    "published_at": row["first_published_at"],
                    "for_you": row["for_you"],
                    "author": feed_person(row, "author__"),
                    "prepared_by": feed_person(row, "prepared_by__")
                    if row["prepared_by_id"]
                    else None,
                    "summary": blocks_summary(row["body"].raw_data, length=40),
                },
            )
            for row in selectors.home_feed_posts(user=user, now=now)[:limit]
        ]


# --- Weekly content digest ----------------------------------------------------------------------
class PostDigestSource:
    """New posts of the people the reader follows ("people") and the executives' posts they
    have not read ("leaders"), through `selectors.digest_posts`: one query."""

    def digest_items(
        self, user: User, *, since: datetime, until: datetime, limit: int
    ) -> list[DigestItem]:
        if not (user.is_authenticated and user.is_active):
            return []
        roots = Site.get_site_root_paths()  # cached by Wagtail
        items = []
        for row in selectors.digest_posts(user=user, since=since, until=until)[:limit]:
            author = User(**{name: row["author__" + name] for name in selectors.FEED_PERSON_FIELDS})
            items.append(
                DigestItem(
                    section="people" if row["followed"] else "leaders",
                    key=f"{KEY}:{row['pk']}",
                    title=row["title"],
                    url=selectors.post_path(row["url_path"], roots),
                    author=author.name,
                    date=row["first_published_at"],
                    excerpt=blocks_summary(row["body"].raw_data, length=30),
                )
            )
        return items


def feed_person(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A person as a feed card shows them, from `values()` columns (User's own rules for the
    name, initials and profile URL, on an unsaved instance: no query)."""
    person = User(**{name: row[prefix + name] for name in selectors.FEED_PERSON_FIELDS})
    return {
        "name": person.name,
        "url": person.get_absolute_url(),
        "initials": person.initials,
        "photo": {"url": person.photo.url} if person.photo else None,
        "is_executive": person.is_executive,
        "department": row.get(prefix + "department__name"),
    }


# --- Editorial calendar -------------------------------------------------------------------------
def calendar_places(user: User) -> list[tuple[str, Label]]:
    return [(PLACE_BLOGS, _("Blogs")), (PLACE_LEADERSHIP, _("Leadership space"))]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Local days [start, end) as aware datetimes."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.min), tz),
    )


def _place(post: PostPage) -> tuple[str, Label]:
    """Executives' posts are published in the Leadership space; the others on their blog."""
    if post.author is not None and post.author.is_executive:
        return PLACE_LEADERSHIP, _("Leadership space")
    name = post.author.name if post.author is not None else "?"
    return PLACE_BLOGS, _("Blog of %(name)s") % {"name": name}


def _entry(post: PostPage, *, title: str, at: datetime, url: str, scheduled: bool) -> CalendarEntry:
    place, place_label = _place(post)
    return CalendarEntry(
        title=title,
        at=at,
        url=url,
        kind=KEY,
        place=place,
        place_label=place_label,
        author=post.author,
        scheduled=scheduled,
    )


def _published_entries(user: User, since: datetime, until: datetime) -> list[CalendarEntry]:
    posts = selectors.posts_visible_to(user).filter(
        first_published_at__gte=since, first_published_at__lt=until
    )
    return [
        _entry(
            post,
            title=post.title,
            at=post.first_published_at,
            url=post.get_absolute_url(),
            scheduled=False,
        )
        for post in posts.order_by("first_published_at")[:CALENDAR_LIMIT]
    ]


def _scheduled_entries(user: User, since: datetime, until: datetime) -> list[CalendarEntry]:
    # Wagtail keeps the scheduled publication on the approved revision (for a post already
    # live and rescheduled, only there), so the revision is the source of truth.
    revisions = list(
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(PostPage),
            approved_go_live_at__gte=since,
            approved_go_live_at__lt=until,
        ).only("object_id", "approved_go_live_at", "content")
    )
    if not revisions:
        return []
    posts = PostPage.objects.filter(
        pk__in=[int(r.object_id) for r in revisions], hidden_at__isnull=True
    ).select_related("author")
    by_id = {post.pk: post for post in posts}
    entries = []
    for revision in revisions:
        post = by_id.get(int(revision.object_id))
        if post is None or not can_see_scheduled_post_of(user, post.author_id):
            continue
        entries.append(
            _entry(
                post,
                title=str(revision.content.get("title") or post.title),
                at=revision.approved_go_live_at,
                url=post.get_url() or post.url_path,
                scheduled=True,
            )
        )
    return entries


def calendar_entries(user: User, start: date, end: date) -> list[CalendarEntry]:
    """Published and scheduled posts between the local days `start` (included) and `end`
    (excluded) that `user` may see: published posts as every list shows them; a scheduled
    post only to its author, their delegates and administrators. Oldest first; four queries
    at most, whatever the number of posts."""
    if not (user.is_authenticated and user.is_active):
        return []
    since, until = _bounds(start, end)
    entries = _published_entries(user, since, until) + _scheduled_entries(user, since, until)
    entries.sort(key=lambda entry: entry.at)
    return entries


# --- Publishing-rights map ----------------------------------------------------------------------
def _blog_right(person: User) -> bool:
    # The rule is "the owner publishes on their blog": asked on an unsaved blog of theirs, so
    # that people whose blog is not created yet (it is, on first use) show the same answer.
    return can_publish_on_blog(person, BlogPage(person=person))


class PostRightsSource:
    """Who publishes on their own blog and in the Leadership space, and who prepares drafts
    for which executive, as blogs.permissions answers it."""

    def places(self) -> list[tuple[str, Label]]:
        return [(PLACE_BLOG, _("Own blog")), (PLACE_LEADERSHIP, _("Leadership space"))]

    def rights(self, people: Sequence[User], *, place: str | None = None) -> dict[int, list[Right]]:
        """One query (the delegations of everyone listed) whatever the number of people;
        none when only the own blog or the Leadership space is asked."""
        result: dict[int, list[Right]] = {person.pk: [] for person in people}
        for person in people:
            own_blog = _blog_right(person)
            if place in (None, PLACE_BLOG):
                result[person.pk].append(
                    Right(place=PLACE_BLOG, place_label=_("Own blog"), ask="post", allowed=own_blog)
                )
            if place in (None, PLACE_LEADERSHIP):
                # blogs.selectors.leadership_posts gathers the posts of executives: an active
                # executive's own blog posts are published in the Leadership space.
                result[person.pk].append(
                    Right(
                        place=PLACE_LEADERSHIP,
                        place_label=_("Leadership space"),
                        ask="post",
                        allowed=bool(person.is_active and person.is_executive and own_blog),
                    )
                )
        if place is None or place.startswith(PREPARE_PREFIX):
            for delegate_id, executive in _delegations(people, place=place):
                result[delegate_id].append(
                    Right(
                        place=f"{PREPARE_PREFIX}{executive.pk}",
                        place_label=executive.name,
                        ask="prepare",
                        allowed=True,
                        role=_("delegate"),
                    )
                )
        return result


def _delegations(people: Sequence[User], *, place: str | None) -> list[tuple[int, User]]:
    """(delegate id, executive) of every delegation to an executive of the people listed."""
    delegations = Delegation.objects.filter(
        delegate_id__in=[person.pk for person in people], executive__is_executive=True
    ).select_related("executive")
    if place is not None:
        executive_id = place.removeprefix(PREPARE_PREFIX)
        if not executive_id.isdigit():
            return []
        delegations = delegations.filter(executive_id=int(executive_id))
    return [(d.delegate_id, d.executive) for d in delegations.order_by("pk")]


# --- Global search ------------------------------------------------------------------------------
def post_search_text(post: PostPage) -> SearchText:
    return SearchText(
        title=post.title,
        body=" ".join(filter(None, [post.search_description, post_text(post)])),
        date=post.first_published_at or post.latest_revision_created_at or timezone.now(),
        author_id=post.author_id,
        community_id=post.community_id,
    )


POST_SEARCH = SearchSource(
    visible=selectors.posts_visible_to,
    text=post_search_text,
    objects=lambda: PostPage.objects.order_by("pk"),
    # Publishing, unpublishing and the editor save the whole row; moderation only its state.
    text_fields=frozenset({"title", "body", "search_description", "first_published_at", "live"}),
)


# --- Registration -------------------------------------------------------------------------------
POST_KIND = ContentKind(
    key=KEY,
    model=PostPage,
    label=_("blog post"),
    load=post_load,
    visible_to=can_view_post,
    can_moderate=can_moderate_post,
    author=lambda post: post.author,
    # A column kept for cross-posting to a community; None on every blog post today.
    community_id=lambda post: post.community_id,
    excerpt=lambda post: post.title[:300],
    url=lambda post: post.get_absolute_url(),
    hide=post_hide,
    restore=post_restore,
    after_moderation=post_after_moderation,
    comment_kind="comment",
    conversation=lambda post: (KEY, post.pk),
    calendar_places=calendar_places,
    calendar_entries=calendar_entries,
    feed_source=PostFeedSource(),
    digest_source=PostDigestSource(),
    rights_source=PostRightsSource(),
    search_source=POST_SEARCH,
)


def register() -> None:
    """Called from BlogsConfig.ready()."""
    content.register(POST_KIND)
