"""A reader's conversation kept in the cache (interactions.conversations), checked on the real
thread page: a reader coming back reads it without its queries, and whatever changed in
between (a reply, a reaction, an edit, moderation, the reader's own rights, an erasure) shows
on that very visit, as a cold rendering with an empty cache shows it.

The reference is the same page for the same reader after `cache.clear()`."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from communities import services as communities
from communities.models import Membership, Role
from governance import services as governance
from interactions import conversations
from interactions import services as interactions
from interactions.models import Comment
from privacy import services as privacy
from tests.communities.factories import MembershipFactory, ThreadFactory
from tests.factories import AdminFactory, UserFactory
from tests.page_caches import without_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def writers(thread, open_community):
    people = [UserFactory(first_name=f"Auteur{i}") for i in range(2)]
    for person in people:
        MembershipFactory(community=open_community, user=person)
    first = interactions.comment_create(author=people[0], target=thread, body="Premier avis.")
    interactions.comment_create(author=people[1], target=thread, body="Je complète.", parent=first)
    return people


def visit(client: Client, thread) -> str:
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    found = re.search(
        r"<section class=\"interactions replies\".*?</section>", response.content.decode(), re.S
    )
    assert found, "the page shows no replies"
    return without_tokens(found.group(0))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def cold(user, thread) -> str:
    cache.clear()
    return visit(signed_in(user), thread)


def test_a_reader_coming_back_reads_the_conversation_without_its_queries(thread, writers, employee):
    client = signed_in(employee)
    with CaptureQueriesContext(connection) as first:
        built = visit(client, thread)
    with CaptureQueriesContext(connection) as again:
        kept = visit(client, thread)
    assert kept == built
    comment_reads = [q for q in first if 'FROM "interactions_comment"' in q["sql"]]
    assert comment_reads, "the first visit reads the replies"
    assert not [q for q in again if 'FROM "interactions_comment"' in q["sql"]]
    assert not [q for q in again if 'FROM "interactions_reaction"' in q["sql"]]
    assert kept == cold(employee, thread)


def test_each_change_shows_on_the_readers_next_visit(thread, writers, employee, manager):
    client = signed_in(employee)
    first = Comment.objects.get(body="Premier avis.")
    visit(client, thread)

    interactions.comment_create(author=writers[1], target=thread, body="Une nouvelle idée.")
    assert "Une nouvelle idée." in visit(client, thread)

    interactions.reaction_toggle(user=writers[1], target=first, kind="like")
    view = visit(client, thread)
    assert re.search(r"data-count>1</span>", view)
    assert view == cold(employee, thread)

    client = signed_in(employee)
    visit(client, thread)
    interactions.reaction_toggle(user=writers[1], target=first, kind="like")  # taken back
    assert not re.search(r"data-count>1</span>", visit(client, thread))

    interactions.comment_edit(editor=writers[0], comment=first, body="Premier avis, revu.")
    assert "Premier avis, revu." in visit(client, thread)

    governance.content_hide(actor=manager, obj=first, reason="Hors sujet")
    view = visit(client, thread)
    assert "Premier avis, revu." not in view
    assert view == cold(employee, thread)


def test_the_readers_rights_are_asked_afresh_at_each_visit(thread, writers, employee, manager):
    first = Comment.objects.get(body="Premier avis.")
    governance.content_hide(actor=manager, obj=first, reason="Hors sujet")
    client = signed_in(employee)
    as_member = visit(client, thread)
    assert "Premier avis." not in as_member
    assert "comment-hide" not in as_member

    # Made a manager: nothing in the conversation changed, yet the next visit shows the
    # hidden text and the moderation forms.
    membership = Membership.objects.get(community=thread.community, user=employee)
    communities.member_set_role(actor=manager, membership=membership, role=Role.MANAGER)
    as_manager = visit(client, thread)
    assert "Premier avis." in as_manager
    assert as_manager == cold(employee, thread)

    # Back to member: the manager's entry is not served to them.
    client = signed_in(employee)
    visit(client, thread)
    membership.refresh_from_db()
    communities.member_set_role(actor=manager, membership=membership, role=Role.MEMBER)
    assert visit(client, thread) == as_member


def test_a_private_conversation_is_not_served_to_someone_who_left(
    private_community, employee, manager
):
    thread = ThreadFactory(community=private_community, author=manager, title="Confidentiel")
    interactions.comment_create(author=manager, target=thread, body="Le budget de 2027.")
    client = signed_in(employee)
    assert "Le budget de 2027." in visit(client, thread)
    communities.community_leave(actor=employee, community=private_community)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 404
    assert "Le budget de 2027." not in response.content.decode()


def test_an_erasure_shows_at_once_though_it_writes_in_bulk(thread, writers, employee):
    client = signed_in(employee)
    assert "Auteur0" in visit(client, thread)
    privacy.person_erase(actor=AdminFactory(), person=writers[0], mode="remove")
    view = visit(client, thread)
    assert "Auteur0" not in view
    assert "Premier avis." not in view
    assert view == cold(employee, thread)


@pytest.mark.django_db(transaction=True)
def test_a_change_bumps_the_version_again_when_it_commits(thread, writers):
    """An entry built from the database while the change was not committed yet was made
    under the version of the first bump: the second, on commit, leaves it unread."""
    before = conversations.versions(thread)
    with transaction.atomic():
        interactions.comment_create(author=writers[0], target=thread, body="En cours.")
        during = conversations.versions(thread)
    after = conversations.versions(thread)
    assert before[0] < during[0] < after[0]
    assert before[1] == during[1] == after[1]
