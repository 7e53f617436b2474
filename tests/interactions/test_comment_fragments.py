"""Rendered comments shared between readers (interactions.fragments), checked on the real
post page: a reader served from the cache gets the page a cold rendering gives them, with
their own rights and their own CSRF token, and every change shows at once to the next reader.

The reference is always the same page rendered for the same reader with an empty cache."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from blogs import services as blog_services
from governance import services as governance
from interactions import services
from interactions.models import Comment
from people import services as people_services
from tests.factories import AdminFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


@pytest.fixture
def author(db):
    return UserFactory(username="claire.author", first_name="Claire", last_name="Dubois")


@pytest.fixture
def post(author):
    blog_services.blog_ensure(actor=author)
    return blog_services.post_create(
        actor=author, title="Nos rituels d'équipe", body="Qu'en pensez-vous ?", publish=True
    )


@pytest.fixture
def commenters(post):
    sales = DepartmentFactory(name="Ventes")
    people = [
        UserFactory(username=f"person.{i}", first_name=f"Prénom{i}", department=sales)
        for i in range(3)
    ]
    first = services.comment_create(author=people[0], target=post, body="Très utile, merci.")
    services.comment_create(author=people[1], target=post, body="D'accord.", parent=first)
    services.comment_create(author=people[2], target=post, body="Et le vendredi ?")
    return people


@pytest.fixture(autouse=True)
def _the_post(post):
    global POST_URL
    POST_URL = post.url


POST_URL = ""


def page_for(user) -> tuple[Client, str]:
    """The post page as `user` loads it."""
    client = Client()
    client.force_login(user)
    return client, client.get(POST_URL).content.decode()


def conversation(html: str) -> str:
    found = re.search(r'<ol class="comment-list">.*</ol>', html, re.S)
    assert found, "the page shows no conversation"
    return TOKEN.sub(r"\1TOKEN\2", found.group(0))


def cold(user) -> str:
    """The conversation as `user` sees it when nothing is in the cache."""
    cache.clear()
    return conversation(page_for(user)[1])


def test_a_reader_served_from_the_cache_gets_what_a_cold_rendering_gives(commenters):
    reader, other = UserFactory(), UserFactory()
    page_for(other)  # fills the cache
    warm = conversation(page_for(reader)[1])
    assert "Très utile, merci." in warm and "D'accord." in warm
    assert warm == cold(reader)


@pytest.mark.parametrize("who", ["comment author", "moderator", "reader who reacted"])
def test_rights_and_own_reactions_are_never_shared(commenters, post, who):
    plain = UserFactory()
    first = Comment.objects.get(body="Très utile, merci.")
    special = {
        "comment author": commenters[0],
        "moderator": AdminFactory(),
        "reader who reacted": UserFactory(),
    }[who]
    if who == "reader who reacted":
        services.reaction_toggle(user=special, target=first, kind="like")

    # Each one after the other, in both orders: the second is served from the cache.
    for first_reader, second_reader in ((special, plain), (plain, special)):
        cache.clear()
        page_for(first_reader)
        assert conversation(page_for(second_reader)[1]) == cold(second_reader)
    special_view, plain_view = cold(special), cold(plain)
    assert special_view != plain_view
    if who == "comment author":
        assert f'id="edit-form-{first.pk}"' in special_view
    if who == "moderator":
        assert "comment-hide" in special_view
    assert f'id="edit-form-{first.pk}"' not in plain_view
    assert "comment-hide" not in plain_view
    assert 'class="reaction mine"' not in plain_view


def test_every_change_shows_to_the_next_reader(commenters, post):
    reader, other = UserFactory(), UserFactory()
    first = Comment.objects.get(body="Très utile, merci.")

    def seen() -> str:
        page_for(other)  # the cache holds the state just before the reader's visit
        return conversation(page_for(reader)[1])

    assert "Prénom0" in seen()
    services.comment_edit(editor=commenters[0], comment=first, body="Très utile, vraiment.")
    assert "Très utile, vraiment." in seen()

    services.reaction_toggle(user=commenters[2], target=first, kind="like")
    assert seen() == cold(reader)
    assert re.search(r"data-count>1</span>", seen())

    people_services.person_directory_update(person=commenters[0], values={"first_name": "Hélène"})
    assert "Hélène" in seen()

    department = commenters[0].department
    department.name = "Ventes et marketing"
    department.save()
    assert "Ventes et marketing" in seen()

    people_services.person_active_set(person=commenters[1], active=False)
    assert 'data-testid="former-employee"' in seen()

    governance.content_hide(actor=AdminFactory(), obj=first, reason="Hors sujet")
    view = seen()
    assert "Très utile, vraiment." not in view
    assert "Hidden by moderation" in view or "Masqué par la modération" in view
    assert view == cold(reader)


def test_each_language_gets_its_own_fragments(commenters):
    english = UserFactory(preferred_language="en")
    french = UserFactory(preferred_language="fr")
    page_for(english)
    french_view = conversation(page_for(french)[1])
    assert "Répondre" in french_view and ">Reply<" not in french_view
    assert french_view == cold(french)


def test_the_forms_of_a_shared_fragment_carry_the_readers_own_valid_token(commenters, post):
    other = UserFactory()
    page_for(other)
    reader = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    html = client.get(post.url).content.decode()
    first = Comment.objects.get(body="Très utile, merci.")
    form = re.search(rf'<form[^>]*id="reply-form-{first.pk}".*?</form>', html, re.S).group(0)
    token = TOKEN.search(form)
    action = re.search(r'action="([^"]+)"', form).group(1)
    answer = client.post(
        action,
        {
            "csrfmiddlewaretoken": token.group(0).split('value="')[1].rstrip('"'),
            "body": "Réponse depuis la page partagée",
            "parent": str(first.pk),
            "next": post.url,
        },
    )
    assert answer.status_code in (200, 302), answer.status_code
    assert Comment.objects.filter(body="Réponse depuis la page partagée", author=reader).exists()
    # The other reader's token is not in this reader's page.
    assert "ruche-csrf-token-placeholder" not in html


def test_text_kept_from_a_refused_reply_is_given_back_to_its_writer_only(commenters, post):
    writer = UserFactory()
    first = Comment.objects.get(body="Très utile, merci.")
    client = Client()
    client.force_login(writer)
    client.get(post.url)
    too_long = "x" * 10_001
    client.post(
        reverse("interactions:comment_create", args=["post", post.pk]),
        {"body": too_long, "parent": str(first.pk), "next": post.url},
    )
    mine = client.get(post.url).content.decode()
    others = page_for(UserFactory())[1]
    assert too_long in mine or "x" * 100 in mine
    assert "x" * 100 not in others
