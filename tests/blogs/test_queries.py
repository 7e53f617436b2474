"""Pages stay fast as content grows: a bounded number of SQL queries, whatever the counts."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from blogs import services
from blogs.models import PostPage
from core.feed import feed_changed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MAX_BLOG_INDEX = 14
MAX_POST_PAGE = 20
MAX_HOME = 14
MAX_HOME_CACHED = 10


def add_writers(count: int, posts_each: int = 2) -> list:
    writers = []
    for n in range(count):
        person = UserFactory(is_executive=(n % 5 == 0))
        for k in range(posts_each):
            services.post_create(actor=person, title=f"Billet {n}-{k}", body="Texte.", publish=True)
        writers.append(person)
    return writers


@pytest.mark.parametrize("writers", [2, 12])
def test_blog_index_queries_do_not_grow(login, employee, django_assert_max_num_queries, writers):
    add_writers(writers)
    client = login(employee)
    client.get("/blogs/")  # warm the per-process caches (site root, content types)
    with django_assert_max_num_queries(MAX_BLOG_INDEX):
        assert client.get("/blogs/").status_code == 200


@pytest.mark.parametrize("posts", [3, 30])
def test_home_feed_queries_do_not_grow(
    login, employee, colleague, django_assert_max_num_queries, posts
):
    """10× more content, the same number of queries: built (cache miss) and from the cache."""
    add_writers(posts // 3, posts_each=3)
    services.follow_create(actor=employee, person=colleague)
    client = login(employee)
    client.get("/")
    feed_changed()  # page 1 is built again from the database
    with django_assert_max_num_queries(MAX_HOME):
        response = client.get("/")
    assert len(response.context["feed_items"]) == min(posts, 15)
    with django_assert_max_num_queries(MAX_HOME_CACHED) as cached:
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(MAX_HOME):
        assert client.get("/", {"page": 2}).status_code == 200
    assert len(cached.captured_queries) < MAX_HOME


def _comments(post, authors, count: int) -> None:
    from interactions.models import Comment, Reaction

    content_type = ContentType.objects.get_for_model(PostPage, for_concrete_model=False)
    now = timezone.now()
    parents = Comment.objects.bulk_create(
        [
            Comment(
                content_type=content_type,
                object_id=post.pk,
                author=authors[n % len(authors)],
                body=f"Question {n} ?",
                body_html=f"<p>Question {n} ?</p>",
                created_at=now,
            )
            for n in range(count // 2)
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                content_type=content_type,
                object_id=post.pk,
                parent=parent,
                author=authors[(n + 1) % len(authors)],
                body="Réponse",
                body_html="<p>Réponse</p>",
                created_at=now,
            )
            for n, parent in enumerate(parents)
        ]
    )
    Reaction.objects.bulk_create(
        [
            Reaction(
                content_type=content_type,
                object_id=post.pk,
                user=author,
                kind="like",
                created_at=now,
            )
            for author in authors
        ]
    )


@pytest.mark.parametrize("comments", [2, 200])
def test_post_page_with_many_comments_queries_do_not_grow(
    login, employee, post, django_assert_max_num_queries, comments
):
    authors = [UserFactory() for _ in range(5)]
    _comments(post, authors, comments)
    client = login(employee)  # the author: stats are shown too
    client.get(post.url)
    with django_assert_max_num_queries(MAX_POST_PAGE):
        response = client.get(post.url)
    assert response.status_code == 200
    assert response.content.decode().count("Question ") >= comments // 2
