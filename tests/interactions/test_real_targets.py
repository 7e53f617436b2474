"""The interactions machinery on the real targets: blogs' PostPage and communities' Thread.

The board stand-in (conftest) tests every rule; these tests check that the two apps that use
the machinery get it as promised: the pages render the includes in bounded queries, the
endpoints resolve their registered keys, and private community content stays invisible.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blogs import services as blog_services
from blogs.models import PostPage
from communities.models import AccessMode
from core import content
from interactions import services
from interactions.models import Comment, Reaction
from interactions.registry import key_for
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(employee):
    blog_services.blog_ensure(actor=employee)
    return blog_services.post_create(
        actor=employee, title="Adopter les médias sociaux", body="Bonjour.", publish=True
    )


def test_registered_keys(post):
    thread = ThreadFactory()
    assert (key_for(post), key_for(thread)) == ("post", "thread")
    assert key_for(Comment()) == "comment"


def test_a_comment_on_a_post_is_a_comment_and_on_a_thread_a_reply(post, colleague):
    thread = ThreadFactory()
    MembershipFactory(community=thread.community, user=colleague)
    on_post = services.comment_create(author=colleague, target=post, body="Merci")
    on_thread = services.comment_create(author=colleague, target=thread, body="Oui")
    assert content.kind_for(Comment.objects.get(pk=on_post.pk)).key == "comment"
    assert content.kind_for(Comment.objects.get(pk=on_thread.pk)).key == "reply"
    assert content.load("reply", on_post.pk) is None
    assert content.load("comment", on_thread.pk) is None
    assert content.conversation_of(content.load("comment", on_post.pk)[1]) == ("post", post.pk)
    assert content.conversation_of(content.load("reply", on_thread.pk)[1]) == (
        "thread",
        thread.pk,
    )


def test_loading_a_comment_reads_its_author_and_its_post_at_once(
    post, colleague, django_assert_max_num_queries
):
    comment = services.comment_create(author=colleague, target=post, body="Merci")
    content.load("comment", comment.pk)  # warm the content-type cache
    with django_assert_max_num_queries(2):  # the comment with its author; the post
        _kind, loaded = content.load("comment", comment.pk)
        assert loaded.author.name == colleague.name
        assert loaded.target == post


def test_post_comments_are_stored_under_the_specific_page_type(post, colleague):
    comment = services.comment_create(author=colleague, target=post, body="Merci !")
    assert comment.content_type == ContentType.objects.get_for_model(PostPage)
    assert comment.target == post


def test_post_page_renders_the_thread_in_bounded_queries(client, post, employee, colleague):
    people = [UserFactory() for _ in range(4)]
    for i in range(20):
        top = services.comment_create(author=people[i % 4], target=post, body=f"Commentaire {i}")
        services.comment_create(author=colleague, target=post, body="Réponse", parent=top)
        services.reaction_toggle(user=people[(i + 1) % 4], target=top, kind="like")
    client.force_login(colleague)
    url = post.get_absolute_url()
    client.get(url)  # warm the per-process caches (site root, content types)
    # A new state of the conversation: read from the database again, not from its cache.
    services.reaction_toggle(user=people[0], target=post, kind="like")
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="comment') >= 40
    assert f'action="/interactions/post/{post.pk}/comments/"' in page
    assert f'action="/interactions/post/{post.pk}/reactions/"' in page

    # The same page with ten times the comments costs no more queries (20 when measured,
    # three of them for comments and reactions).
    for i in range(180):
        services.comment_create(author=people[i % 4], target=post, body=f"Encore {i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 25
    # The same state again: the conversation comes from its cache (interactions.conversations),
    # without its two queries (the comments, the reactions).
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).content.decode().count('class="comment') >= 220
    assert len(again) == len(many) - 2


def test_comment_and_reaction_through_the_endpoints_on_a_post(client, post, colleague):
    client.force_login(colleague)
    response = client.post(f"/interactions/post/{post.pk}/comments/", {"body": "Bravo"})
    comment = Comment.objects.get()
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    client.post(f"/interactions/post/{post.pk}/reactions/", {"kind": "celebrate"})
    client.post(f"/interactions/comment/{comment.pk}/reactions/", {"kind": "like"})
    assert Reaction.objects.count() == 2


def test_private_community_thread_is_invisible_to_outsiders(client, colleague, employee):
    community = CommunityFactory(access=AccessMode.PRIVATE)
    MembershipFactory(community=community, user=employee)
    thread = ThreadFactory(community=community, author=employee)
    reply = services.comment_create(author=employee, target=thread, body="Entre nous")
    client.force_login(colleague)
    for url, data in [
        (f"/interactions/thread/{thread.pk}/comments/", {"body": "Coucou"}),
        (f"/interactions/thread/{thread.pk}/reactions/", {"kind": "like"}),
        (f"/interactions/comment/{reply.pk}/reactions/", {"kind": "like"}),
        (f"/interactions/comments/{reply.pk}/hide/", {"reason": "x"}),
    ]:
        response = client.post(url, data)
        assert response.status_code == 404, url
        assert "Entre nous" not in response.content.decode()
    assert Comment.objects.count() == 1 and not Reaction.objects.exists()
