"""The post page's article (header, body, tags), rendered once per state.

The body's blocks, the author's card, the follow button and the edit link are the same for a
reader from one visit to the next until a page is saved (the route version, `core.models`),
someone's delegations or follows change, or a person does (`blogs.versions`). The article is
kept in the cache under those versions, for its reader (the report link, the follow button),
their account's flags and the page's address (`core.rendering.reader_fragment`). The rest of
the page is decided on every request: the stats for the author and their delegate (kept under
the post's views and conversation), and the conversation (kept under its own version,
`interactions.conversations`). The whole page is kept too, under all of these
(`post_page`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.safestring import SafeString

from activity.services import views_version_key
from blogs import selectors, versions
from blogs.models import BlogPage, PostPage
from blogs.permissions import can_view_post_stats
from core.models import ROUTE_VERSION_KEY, route_version
from core.rendering import reader_fragment, reader_page
from core.versions import kept_under
from interactions import conversations, fragments
from interactions.selectors import DRAFTS_SESSION_KEY, comment_thread, conversation_rights
from people.generation import GENERATION_KEY

ARTICLE_TEMPLATE = "blogs/includes/post_article.html"
# What post_article.html includes, directly or through its tags: part of every key.
ARTICLE_TEMPLATES = (
    ARTICLE_TEMPLATE,
    "blogs/includes/follow_button.html",
    "core/includes/avatar.html",
    "people/includes/former_employee.html",
    "governance/includes/report_link.html",
    *(f"blogs/blocks/{name}.html" for name in ("code", "embed", "heading", "image", "quote")),
)
ARTICLE_SECONDS = 60 * 60
INTERACTIONS_TEMPLATE = "blogs/includes/interactions.html"
INTERACTIONS_TEMPLATES = (
    INTERACTIONS_TEMPLATE,
    "interactions/includes/comments.html",
    "interactions/includes/reactions.html",
    "core/includes/people_picker_script.html",
    *fragments.TEMPLATES,
)


# The whole page (`post_page`): post_page.html, what it includes and both fragments.
PAGE_TEMPLATES = (
    "blogs/post_page.html",
    "blogs/includes/feed_links.html",
    *ARTICLE_TEMPLATES,
    *INTERACTIONS_TEMPLATES,
)


def _blog_of(post: PostPage) -> BlogPage | None:
    """The post's blog (its parent page), kept under the route version."""
    blog, _stamp = kept_under(
        f"blogs:blog-of:{post.pk}",
        [ROUTE_VERSION_KEY],
        lambda: BlogPage.objects.filter(path=post.path[: -post.steplen]).first(),
        seconds=ARTICLE_SECONDS,
    )
    return blog


def live_post(url_path: str) -> PostPage | None:
    """The live post at `url_path` with its author and who prepared it, kept under the route
    version and the people generation (read before the row)."""
    digest = hashlib.blake2b(url_path.encode(), digest_size=16).hexdigest()
    post, _stamp = kept_under(
        f"blogs:post-route:{digest}",
        [ROUTE_VERSION_KEY, GENERATION_KEY],
        lambda: (
            PostPage.objects.live()
            .select_related("author", "prepared_by")
            .filter(url_path=url_path)
            .first()
        ),
        seconds=ARTICLE_SECONDS,
    )
    return post if post is None or post.url_path == url_path else None


def _article_state(post: PostPage) -> tuple[Any, ...]:
    """What the article shows besides the reader: the page rows (the route version, read
    before them), the reader's delegations and follows and the people, the post."""
    return (route_version(), versions.reader_versions(), post.pk)


def _interactions_state(post: PostPage, user: Any) -> tuple[Any, ...]:
    """What the conversation shows besides the reader: its versions and the reader's rights."""
    return (conversations.versions(post), conversation_rights(post, user), post.pk)  # type: ignore[arg-type]


def _interactions(request: HttpRequest, post: PostPage) -> SafeString:
    """The reactions and the conversation under the article, kept under the conversation's
    version (`interactions.conversations`) and every right the reader has in it."""
    user = request.user

    def context() -> dict[str, Any]:
        # The conversation first, so that the post's own reactions, shown above it, are read
        # with it instead of by a query of their own.
        conversation = comment_thread(target=post, viewer=user)  # type: ignore[arg-type]
        post.interaction_reactions = conversation.reactions  # type: ignore[attr-defined]
        return {"target": post, "page": post}

    state = _interactions_state(post, user)
    return reader_fragment(request, INTERACTIONS_TEMPLATES, state, context, seconds=ARTICLE_SECONDS)


def _stats(post: PostPage) -> tuple[dict[str, Any], tuple[int, ...]]:
    """The post's readers, commenters and unanswered questions (`selectors.post_stats`), kept
    under the versions of its views (a new reader), of its conversation and of the people,
    with their stamp."""
    return kept_under(
        f"blogs:stats:{post.pk}",
        [views_version_key(post), conversations.version_key(post), GENERATION_KEY],
        lambda: selectors.post_stats(posts=[post])[post.pk],
        seconds=ARTICLE_SECONDS,
    )


def post_page(
    request: HttpRequest, post: PostPage, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The live post page as `render()` makes it (Wagtail's serve), kept whole for its reader
    under the states of both fragments and, for whoever sees them, of the statistics
    (`core.rendering.reader_page`). The text of a refused form is rendered each time."""
    user = request.user
    if request.session.get(DRAFTS_SESSION_KEY):
        return render()
    stats = _stats(post)[1] if can_view_post_stats(user, post) else None  # type: ignore[arg-type]
    state = (*_article_state(post), *_interactions_state(post, user), stats)
    return reader_page(request, PAGE_TEMPLATES, state, render, seconds=ARTICLE_SECONDS)


def post_page_context(request: HttpRequest, post: PostPage) -> dict[str, Any]:
    """What the live post page shows besides Wagtail's own context (`post` from the route)."""
    user = request.user
    state = _article_state(post)  # the versions are read before the rows
    blog = _blog_of(post)

    def article_context() -> dict[str, Any]:
        values = selectors.post_page_context(user=user, post=post)  # type: ignore[arg-type]
        return {"page": post, "self": post, **values}

    context: dict[str, Any] = {
        "blog": blog,
        "author": post.author,
        "post_article": reader_fragment(
            request, ARTICLE_TEMPLATES, state, article_context, seconds=ARTICLE_SECONDS
        ),
        "interactions_template": INTERACTIONS_TEMPLATE,
    }
    if not request.session.get(DRAFTS_SESSION_KEY):  # text of a refused form is never kept
        context["interactions_html"] = _interactions(request, post)
    if can_view_post_stats(user, post):  # type: ignore[arg-type]
        context["stats"] = _stats(post)[0]
    return context
