"""Atom feeds: all blogs, and one per blog (Django's syndication framework).

A feed reader has no session on the intranet, so each employee has a secret token
(blogs.models.FeedToken) to put in the feed URL. The feed then contains exactly what that
employee may read (blogs.selectors.posts_visible_to); without a session or a valid token there
is no feed at all (404, so that the URL reveals nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from blogs import selectors
from blogs.models import BlogPage, FeedToken, PostPage

FEED_SIZE = 30


def feed_user(request: HttpRequest):
    """The employee a feed is for: the session's, or the owner of a valid token."""
    if request.user.is_authenticated and request.user.is_active:
        return request.user
    return FeedToken.owner_of(request.GET.get("token", ""))


def blocks_text(raw_blocks: Iterable[Any], max_chars: int | None = None) -> str:
    """Plain text of a post's paragraphs, headings and quotes, in order, from the body's stored
    blocks ({"type", "value"}) without building the StreamField's block values (the home feed
    reads the body with `values()`); with `max_chars`, it stops reading once it has that much."""
    parts = []
    for block in raw_blocks:
        value = block.get("value")
        if block.get("type") == "paragraph" and isinstance(value, str):
            parts.append(strip_tags(value))
        elif block.get("type") in ("heading", "quote") and isinstance(value, dict):
            parts.append(str(value.get("text", "")))
        if max_chars is not None and sum(len(p) for p in parts) > max_chars:
            break
    return " ".join(p.strip() for p in parts if p.strip())


def post_text(post: PostPage, max_chars: int | None = None) -> str:
    """The plain text of a post (feeds, cards and global search)."""
    return blocks_text(post.body.raw_data, max_chars=max_chars)


def blocks_summary(raw_blocks: Iterable[Any], length: int = 60) -> str:
    """The first `length` words of the stored blocks' text."""
    return Truncator(blocks_text(raw_blocks, max_chars=length * 8)).words(length)


def post_summary(post: PostPage, length: int = 60) -> str:
    """Plain text of the first blocks of a post, for feeds and cards."""
    return blocks_summary(post.body.raw_data, length=length)


class PostsFeed(Feed):
    feed_type = Atom1Feed
    subtitle = _("The newest posts of every blog")

    def __init__(self, user, blog: BlogPage | None = None):
        super().__init__()
        self.user = user
        self.blog = blog

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        if self.blog is not None:
            return str(self.blog.title)
        return str(_("Ruche: all blogs"))

    def link(self):
        if self.blog is not None:
            return self.blog.url or "/blogs/"
        return "/blogs/"

    def items(self):
        posts = selectors.posts_visible_to(self.user)
        if self.blog is not None:
            posts = posts.child_of(self.blog)
        return list(posts.prefetch_related("tags")[:FEED_SIZE])

    def item_title(self, item: PostPage) -> str:
        return item.title

    def item_description(self, item: PostPage) -> str:
        return post_summary(item)

    def item_link(self, item: PostPage) -> str:
        return item.get_url(request=getattr(self, "request", None)) or item.url_path

    def item_guid(self, item: PostPage) -> str:
        return f"ruche-post-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item: PostPage) -> str:
        return item.author.name if item.author else ""

    def item_pubdate(self, item: PostPage):
        return item.first_published_at

    def item_updateddate(self, item: PostPage):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item: PostPage):
        return [tag.name for tag in item.tags.all()]


def _serve(request: HttpRequest, blog: BlogPage | None) -> HttpResponse:
    user = feed_user(request)
    if user is None:
        raise Http404
    response = PostsFeed(user, blog)(request)
    # Personal content: never stored by a shared cache.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@never_cache
def all_posts_feed(request: HttpRequest) -> HttpResponse:
    return _serve(request, None)


@login_not_required
@never_cache
def blog_feed(request: HttpRequest, slug: str) -> HttpResponse:
    if feed_user(request) is None:
        raise Http404
    blog = get_object_or_404(BlogPage.objects.live().select_related("person"), slug=slug)
    return _serve(request, blog)
