"""Reads that list blog content, with visibility applied (DESIGN.md, "How data flows").

Pages, the home feed, Atom feeds and search all take their posts from `posts_visible_to`, so
a draft, an unpublished or a hidden post never shows anywhere it should not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.encoding import iri_to_uri
from wagtail.models import Site
from wagtail.query import PageQuerySet

from activity.models import ParticipationEvent, Verb
from blogs.models import BlogPage, Follow, PostPage
from blogs.permissions import (
    can_answer_in_cockpit,
    can_edit_post,
    can_view_post_stats,
    delegated_executive_ids,
)
from core import feed
from core.html import extract_html_mentions
from interactions.mentions import mentioned_users
from interactions.models import Comment
from metrics.permissions import can_view_leader
from metrics.reports import leader_report
from people.models import User

POST_TYPE = PostPage._meta.label_lower


def posts_visible_to(user: User | AnonymousUser) -> PageQuerySet:
    """Every post `user` may read: live and not hidden (every employee reads every blog)."""
    if not (user.is_authenticated and user.is_active):
        return PostPage.objects.none()
    return (
        PostPage.objects.live()
        .filter(hidden_at__isnull=True)
        .select_related("author", "author__department", "prepared_by")
        .order_by("-first_published_at", "-pk")
    )


def post_list_for_blog(*, user: User, blog: BlogPage) -> PageQuerySet:
    return posts_visible_to(user).child_of(blog).prefetch_related("tags")


def leadership_posts(*, user: User) -> PageQuerySet:
    """The Leadership space: every executive's posts."""
    return posts_visible_to(user).filter(author__is_executive=True).prefetch_related("tags")


def executives_with_blogs() -> PageQuerySet:
    return (
        BlogPage.objects.live()
        .filter(person__is_executive=True, person__is_active=True)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def blog_list(*, user: User) -> PageQuerySet:
    """Blogs of active employees with their number of visible posts, most recent first."""
    if not (user.is_authenticated and user.is_active):
        return BlogPage.objects.none()
    return (
        BlogPage.objects.live()
        .filter(person__is_active=True)
        .select_related("person", "person__department")
        .annotate(
            post_count=Count(
                "person__blog_posts",
                filter=Q(person__blog_posts__live=True, person__blog_posts__hidden_at__isnull=True),
                distinct=True,
            )
        )
        .order_by("-post_count", "title")
    )


def home_feed_posts(*, user: User | AnonymousUser, now: datetime) -> QuerySet[Any]:
    """Posts for the home feed in its "Latest" order (core.feed: fresh first, then newest
    with a head start for people `user` follows and for the Leadership space), as plain
    values: building Wagtail page objects was most of the feed's cost, and a card needs only
    titles, names and the opening text."""
    followed = Follow.objects.filter(follower_id=user.pk).filter(
        Q(person_id=OuterRef("author_id")) | Q(blog__person_id=OuterRef("author_id"))
    )
    for_you = Q(followed=True) | Q(author__is_executive=True)
    rows: QuerySet[Any] = (
        posts_visible_to(user)
        .annotate(followed=Exists(followed))
        .annotate(
            for_you=Case(When(for_you, then=Value(True)), default=Value(False)),
            fresh=Case(
                When(first_published_at__gte=feed.fresh_since(now), then=Value(True)),
                default=Value(False),
            ),
            rank=ExpressionWrapper(
                F("first_published_at")
                + Case(
                    When(for_you, then=Value(feed.HEAD_START)),
                    default=Value(timedelta(0)),
                    output_field=DurationField(),
                ),
                output_field=DateTimeField(),
            ),
        )
        .order_by("-fresh", "-rank", "-pk")
        .values(
            "pk",
            "title",
            "url_path",
            "first_published_at",
            "body",
            "author_id",
            "prepared_by_id",
            "for_you",
            "fresh",
            "rank",
            *(f"author__{name}" for name in FEED_PERSON_FIELDS),
            "author__department__name",
            *(f"prepared_by__{name}" for name in FEED_PERSON_FIELDS),
        )
    )
    return rows


# What a feed card shows of a person (User.name, initials, photo, profile URL read them).
FEED_PERSON_FIELDS = (
    "username",
    "display_name",
    "first_name",
    "last_name",
    "photo",
    "is_executive",
)


def follow_state(*, user: User, person: User) -> dict[str, Any]:
    """Whether `user` follows `person` (directly or through the blog), for the follow button."""
    if not (user.is_authenticated and user.is_active) or user.pk == person.pk:
        return {"can_follow": False, "following": False}
    following = Follow.objects.filter(
        Q(person=person) | Q(blog__person=person), follower=user
    ).exists()
    return {"can_follow": True, "following": following, "person": person}


# --- Leader voice -------------------------------------------------------------------------------
def post_stats(*, posts: list[PostPage], questions: bool = True) -> dict[int, dict[str, Any]]:
    """Per post: distinct readers (view events, the author excluded), commenters and the
    comments from others that the author has not answered.

    Two or three queries for any number of posts (two without the `questions`).
    """
    ids: list[int] = [p.pk for p in posts]
    authors = {p.pk: p.author_id for p in posts}
    stats: dict[int, dict[str, Any]] = {
        pk: {"readers": 0, "commenters": 0, "unanswered": []} for pk in ids
    }
    if not ids:
        return stats
    readers = (
        ParticipationEvent.objects.filter(
            verb=Verb.VIEWED, object_type=POST_TYPE, object_id__in=ids
        )
        .order_by()
        .values("object_id", "actor_id")
        .distinct()
    )
    for row in readers:
        post_id = row["object_id"]
        if post_id is not None and row["actor_id"] != authors.get(post_id):
            stats[post_id]["readers"] += 1
    for pk, data in _comment_stats(posts, questions=questions).items():
        stats[pk].update(data)
    return stats


def _comment_stats(posts: list[PostPage], *, questions: bool = True) -> dict[int, dict[str, Any]]:
    """Commenters (people other than the author) and unanswered questions per post.

    A question is a top-level comment from someone else that asks something (it contains a
    question mark) and has no reply from the post's author yet. Two queries for any number of
    posts.
    """
    content_type = ContentType.objects.get_for_model(PostPage, for_concrete_model=False)
    authors = {p.pk: p.author_id for p in posts}
    comments = Comment.objects.published().filter(
        content_type=content_type, object_id__in=list(authors)
    )
    result: dict[int, dict[str, Any]] = {pk: {"commenters": 0, "unanswered": []} for pk in authors}
    for row in comments.order_by().values("object_id", "author_id").distinct():
        if row["author_id"] != authors.get(row["object_id"]):
            result[row["object_id"]]["commenters"] += 1
    if not questions:
        return result
    waiting = (
        _not_answered_by_author(comments.filter(body__contains="?"))
        .select_related("author")
        .order_by("created_at")
    )
    for comment in waiting:
        result[comment.object_id]["unanswered"].append(comment)
    return result


def _not_answered_by_author(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """The top-level comments among `comments` (on posts) written by someone other than the
    post's author and that the author has not answered yet: what waits for their answer.
    The one definition the post page, "My posts" and the cockpit share."""
    answered_by_author = Comment.objects.published().filter(
        parent=OuterRef("pk"), author_id=OuterRef("post_author_id")
    )
    return (
        comments.filter(parent__isnull=True)
        .annotate(
            post_author_id=models.Subquery(
                PostPage.objects.filter(pk=OuterRef("object_id")).values("author_id")[:1]
            )
        )
        .exclude(author_id=models.F("post_author_id"))
        .annotate(answered=Exists(answered_by_author))
        .filter(answered=False)
    )


def leader_posts_with_stats(*, user: User, limit: int = 50) -> list[dict[str, Any]]:
    """The author's own posts (live or not) with their stats: the leader's dashboard."""
    posts = list(
        PostPage.objects.filter(author=user)
        .select_related("prepared_by")
        .order_by("-first_published_at", "-latest_revision_created_at")[:limit]
    )
    stats = post_stats(posts=posts)
    return [{"post": post, **stats[post.pk]} for post in posts]


def post_page_context(*, user: User, post: PostPage) -> dict[str, Any]:
    """Everything the post page shows besides the body, in a bounded number of queries."""
    context: dict[str, Any] = {
        "author": post.author,
        "prepared_by": post.prepared_by if post.prepared_by_id else None,
        "post_tags": list(post.tags.all()),
        # A new post being previewed is not in the tree yet: its blog is its author's.
        "blog": (
            BlogPage.objects.filter(path=post.path[: -post.steplen]).first()
            if post.path
            else BlogPage.objects.filter(person_id=post.author_id).first()
        ),
    }
    # @username in the body links to the person's profile (one query when it names anyone).
    context["body_mentions"] = mentioned_users(extract_html_mentions(post.body_rich_text()))
    if post.author is not None:
        context["follow_state"] = follow_state(user=user, person=post.author)
    context["can_edit"] = post.pk is not None and can_edit_post(user, post)
    if post.pk is None:  # previewing a post never saved: no readers, no conversation yet
        return context
    if can_view_post_stats(user, post):
        context["stats"] = post_stats(posts=[post])[post.pk]
    context["interactions_template"] = "blogs/includes/interactions.html"
    return context


def composer_people(*, user: User) -> list[User]:
    """Whose blog `user` may write on in the composer: their own first, then the executives
    who named them their delegate (drafts only: blogs.permissions)."""
    executives = User.objects.filter(pk__in=delegated_executive_ids(user), is_active=True)
    return [user, *executives.order_by("last_name", "first_name")]


# --- The executive's cockpit ---------------------------------------------------------------------
COCKPIT_WAITING = 20
COCKPIT_POSTS = 10
COCKPIT_ANSWERS = 5


def post_path(url_path: str, roots: Sequence[Any]) -> str:
    """What `Page.get_url()` answers on a single-site intranet, from the stored `url_path`
    (without loading the page): the path below the site's root page."""
    for root in roots:
        if url_path.startswith(root.root_path):
            return iri_to_uri("/" + url_path[len(root.root_path) :])  # as reverse() quotes it
    return iri_to_uri(url_path)


def _on_live_posts_of(executive: User) -> QuerySet[Comment]:
    """Published comments on the executive's posts that every employee reads (live, not
    hidden), with the post's title and address for "their place"."""
    content_type = ContentType.objects.get_for_model(PostPage, for_concrete_model=False)
    posts = PostPage.objects.live().filter(author_id=executive.pk, hidden_at__isnull=True)
    post = PostPage.objects.filter(pk=OuterRef("object_id"))
    return (
        Comment.objects.published()
        .filter(content_type=content_type, object_id__in=posts.values("pk"))
        .annotate(
            post_title=models.Subquery(post.values("title")[:1]),
            post_url_path=models.Subquery(post.values("url_path")[:1]),
        )
    )


def _with_place(comments: Sequence[Comment]) -> list[Comment]:
    roots = Site.get_site_root_paths()  # cached by Wagtail
    for comment in comments:
        comment.post_url = post_path(comment.post_url_path or "", roots)  # type: ignore[attr-defined]
    return list(comments)


def cockpit_waiting(*, executive: User, limit: int = COCKPIT_WAITING) -> tuple[list[Comment], bool]:
    """The questions and comments waiting for the executive's answer on their posts, with
    their text and their place: questions first, the oldest first. (up to `limit`, whether
    there are more). One query."""
    rows = list(
        _not_answered_by_author(_on_live_posts_of(executive))
        .annotate(
            is_question=Case(
                When(body__contains="?", then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
        .select_related("author", "author__department")
        .order_by("-is_question", "created_at", "pk")[: limit + 1]
    )
    return _with_place(rows[:limit]), len(rows) > limit


def cockpit_recent_answers(*, executive: User, limit: int = COCKPIT_ANSWERS) -> list[Comment]:
    """The executive's latest answers to comments on their posts, with the comment answered:
    where a reply sent from the cockpit shows. One query."""
    return _with_place(
        list(
            _on_live_posts_of(executive)
            .filter(author_id=executive.pk, parent__isnull=False)
            .select_related("parent", "parent__author")
            .order_by("-created_at", "-pk")[:limit]
        )
    )


def cockpit_drafts(*, executive: User) -> list[PostPage]:
    """The drafts delegates prepared on the executive's blog, not published yet, those
    marked ready for review first (`post.review` is the mark, or None). One query."""
    drafts = list(
        PostPage.objects.filter(
            author_id=executive.pk,
            live=False,
            first_published_at__isnull=True,
            prepared_by__isnull=False,
        )
        .select_related("prepared_by", "review_request", "review_request__marked_by")
        .order_by("-latest_revision_created_at", "-pk")[:50]
    )
    for draft in drafts:
        draft.review = getattr(draft, "review_request", None)
    drafts.sort(key=lambda d: d.review is None)
    return drafts


def cockpit_posts(*, executive: User, limit: int = COCKPIT_POSTS) -> list[dict[str, Any]]:
    """The executive's latest published posts with their readers and commenters (the same
    counts as the post page). Three queries."""
    posts = list(posts_visible_to(executive).filter(author_id=executive.pk)[:limit])
    stats = post_stats(posts=posts, questions=False)
    roots = Site.get_site_root_paths()  # cached by Wagtail: no site lookup per request
    return [
        {"post": post, "url": post_path(post.url_path, roots), **stats[post.pk]} for post in posts
    ]


def cockpit_context(*, viewer: User, executive: User) -> dict[str, Any]:
    """What the cockpit shows `viewer` (the executive, or one of their delegates: the caller
    checked `can_open_cockpit`). The delegate reads the questions, the drafts and the posts'
    readers (as on the post page) but gets no reply box and none of the executive's own
    figures (metrics.permissions). Bounded: about ten queries, whatever the content."""
    waiting, more_waiting = cockpit_waiting(executive=executive)
    can_answer = can_answer_in_cockpit(viewer, executive)
    return {
        "executive": executive,
        "is_own": viewer.pk == executive.pk,
        "can_answer": can_answer,
        "waiting": waiting,
        "more_waiting": more_waiting,
        "answers": cockpit_recent_answers(executive=executive) if can_answer else [],
        "drafts": cockpit_drafts(executive=executive),
        "post_rows": cockpit_posts(executive=executive),
        "report": leader_report(executive, viewer) if can_view_leader(viewer, executive) else None,
    }


def digest_posts(*, user: User, since: datetime, until: datetime) -> QuerySet[Any]:
    """Posts for `user`'s weekly content digest (notifications' content digest, through
    core.content): published in [since, until) by someone `user` follows, or by an executive
    (the Leadership space), which `user` has not opened yet; never their own, nor an author's
    whose account is deactivated (they have left). Visibility is `posts_visible_to`, so a
    draft, an unpublished or a hidden post is never announced. As plain values, newest first;
    `followed` says which section the post belongs to."""
    followed = Follow.objects.filter(follower_id=user.pk).filter(
        Q(person_id=OuterRef("author_id")) | Q(blog__person_id=OuterRef("author_id"))
    )
    viewed = ParticipationEvent.objects.filter(
        actor_id=user.pk,
        verb=Verb.VIEWED,
        object_type=POST_TYPE,
        object_id=OuterRef("pk"),
    )
    rows: QuerySet[Any] = (
        posts_visible_to(user)
        .filter(
            first_published_at__gte=since,
            first_published_at__lt=until,
            author__is_active=True,
        )
        .exclude(author_id=user.pk)
        .annotate(followed=Exists(followed), viewed=Exists(viewed))
        .filter(Q(followed=True) | Q(author__is_executive=True), viewed=False)
        .order_by("-first_published_at", "-pk")
        .values(
            "pk",
            "title",
            "url_path",
            "first_published_at",
            "body",
            "followed",
            *(f"author__{name}" for name in FEED_PERSON_FIELDS),
        )
    )
    return rows
