"""The thread page kept in the cache (communities.versions, communities.pages), checked
on the real page: a reader coming back gets it without reading the thread, the community or
their membership again, and whatever changed in between (the thread, its community, who is a
member and with which role, its author, a reply) shows on that very visit, exactly as a cold
rendering with an empty cache shows it. Refusals hold: a private community's thread is a 404
for someone who has just left, or was removed. Text kept from a refused form comes back.

The reference is the same page for the same reader after `cache.clear()`."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from communities import services as communities
from communities.models import AccessMode, Membership, Role, Thread
from governance import services as governance
from interactions import services as interactions
from tests.communities.factories import MembershipFactory, ThreadFactory
from tests.factories import UserFactory
from tests.page_caches import kept_without_reading, signed_in, without_tokens

pytestmark = pytest.mark.django_db


def page(client: Client, thread: Thread, status: int = 200) -> str:
    response = client.get(thread.get_absolute_url())
    assert response.status_code == status
    if status != 200:
        return ""
    found = re.search(r"<main .*?</main>", response.content.decode(), re.S)
    assert found
    return without_tokens(found.group(0))


def cold(user, thread: Thread) -> str:
    cache.clear()
    return page(signed_in(user), thread)


def test_a_reader_coming_back_reads_no_row_of_the_thread_again(thread, employee):
    interactions.comment_create(author=employee, target=thread, body="Premier avis.")
    client = signed_in(employee)
    tables = ("communities_thread", "communities_community", "communities_membership")
    kept = kept_without_reading(lambda: page(client, thread), tables)
    # Each reader's token is their own, never the first reader's.
    first = client.get(thread.get_absolute_url()).content.decode()
    assert "ruche-csrf-token-placeholder" not in first
    assert kept == cold(employee, thread)


def test_changes_to_the_thread_and_its_community_show_at_once(thread, employee, manager):
    client = signed_in(employee)
    page(client, thread)

    communities.thread_edit(actor=manager, thread=thread, title="Nos outils, revus", body="Texte")
    assert "Nos outils, revus" in page(client, thread)

    communities.thread_lock(actor=manager, thread=thread, locked=True)
    view = page(client, thread)
    assert 'data-testid="locked"' in view
    assert 'data-testid="reply-refused"' in view
    assert view == cold(employee, thread)

    client = signed_in(employee)
    page(client, thread)
    communities.thread_lock(actor=manager, thread=thread, locked=False)
    community = thread.community
    communities.community_update(
        actor=manager,
        community=community,
        data={"name": "Club des outils", "description": community.description},
    )
    view = page(client, thread)
    assert "Club des outils" in view
    assert 'data-testid="reply-refused"' not in view
    assert view == cold(employee, thread)


def test_a_reply_counted_by_update_shows_with_its_count(thread, employee, manager):
    client = signed_in(employee)
    assert "0 replies" in page(client, thread)
    interactions.comment_create(author=manager, target=thread, body="Une réponse.")
    view = page(client, thread)
    assert "1 reply" in view and "Une réponse." in view
    assert Thread.objects.get(pk=thread.pk).reply_count == 1
    assert view == cold(employee, thread)


def test_the_readers_role_and_the_authors_name_show_at_once(thread, employee, manager):
    client = signed_in(employee)
    assert 'data-testid="lock-toggle"' not in page(client, thread)

    membership = Membership.objects.get(community=thread.community, user=employee)
    communities.member_set_role(actor=manager, membership=membership, role=Role.MANAGER)
    view = page(client, thread)
    assert 'data-testid="lock-toggle"' in view
    assert view == cold(employee, thread)

    client = signed_in(employee)
    page(client, thread)
    manager.first_name = "Sophia"  # as the directory import or the admin renames people
    manager.save()
    view = page(client, thread)
    assert "Sophia Laurent" in view
    assert view == cold(employee, thread)


def test_leaving_or_being_removed_from_a_private_community_is_a_404_at_once(
    private_community, manager, employee
):
    thread = ThreadFactory(community=private_community, author=manager, title="Secret")
    client = signed_in(employee)
    assert "Secret" in page(client, thread)
    communities.community_leave(actor=employee, community=private_community)
    page(client, thread, status=404)

    colleague = UserFactory()
    membership = MembershipFactory(community=private_community, user=colleague)
    other = signed_in(colleague)
    assert "Secret" in page(other, thread)
    communities.member_remove(actor=manager, membership=membership)
    page(other, thread, status=404)


def test_a_thread_hidden_or_made_private_disappears_for_those_who_may_not_see_it(
    thread, employee, manager
):
    outsider = UserFactory()
    client = signed_in(outsider)
    assert "Nos outils" in page(client, thread)
    governance.content_hide(actor=manager, obj=thread, reason="Hors charte")
    page(client, thread, status=404)
    assert "Hors charte" in page(signed_in(thread.author), thread)

    governance.content_restore(actor=manager, obj=thread)
    assert "Nos outils" in page(client, thread)
    community = thread.community
    communities.community_update(
        actor=manager,
        community=community,
        data={"name": community.name, "access": AccessMode.PRIVATE},
    )
    page(client, thread, status=404)
    assert "Nos outils" in page(signed_in(employee), thread)


def test_text_of_a_refused_reply_comes_back_and_is_never_kept(thread, employee, manager):
    client = signed_in(employee)
    page(client, thread)
    communities.thread_lock(actor=manager, thread=thread, locked=True)
    response = client.post(
        f"/interactions/thread/{thread.pk}/comments/",
        {"body": "Mon texte à garder", "next": thread.get_absolute_url()},
    )
    assert response.status_code in (302, 303, 403, 409)
    assert "Mon texte à garder" in page(client, thread)
    assert "Mon texte à garder" not in page(client, thread)  # exactly once
    assert "Mon texte à garder" not in page(signed_in(manager), thread)
