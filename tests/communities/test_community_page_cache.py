"""The community page kept in the cache (communities.versions, communities.pages), checked on
the real page: a reader coming back gets it without reading the community, its threads or
their membership again, and whatever changed in between shows on that very visit, exactly as
a cold rendering with an empty cache shows it: a new thread, a reply (its count is written
with `update()`), a member joining, a promotion, a rename of the community or of its address,
its departments, a thread author's name. Refusals hold: a private community is a 404 for
someone who has just left it, and hidden threads stay listed for their author alone.

The reference is the same page for the same reader after `cache.clear()`."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from communities import services as communities
from communities.models import Membership, Role
from governance import services as governance
from interactions import services as interactions
from tests.communities.factories import ThreadFactory
from tests.factories import DepartmentFactory, UserFactory
from tests.page_caches import kept_without_reading, signed_in, without_tokens

pytestmark = pytest.mark.django_db


def page(client: Client, community, status: int = 200) -> str:
    response = client.get(f"/communities/{community.slug}/")
    assert response.status_code == status
    if status != 200:
        return ""
    found = re.search(r"<main .*?</main>", response.content.decode(), re.S)
    assert found
    return without_tokens(found.group(0))


def cold(user, community) -> str:
    cache.clear()
    return page(signed_in(user), community)


def test_a_reader_coming_back_reads_no_row_of_the_community_again(open_community, employee):
    ThreadFactory(community=open_community, title="Premier fil")
    client = signed_in(employee)
    tables = ("communities_thread", "communities_community", "communities_membership")
    kept = kept_without_reading(lambda: page(client, open_community), tables)
    assert "Premier fil" in kept
    assert kept == cold(employee, open_community)


def test_threads_replies_and_members_show_at_once(open_community, employee, manager):
    client = signed_in(employee)
    page(client, open_community)

    thread = communities.thread_create(
        actor=manager,
        community=open_community,
        title="Un nouveau fil",
        body="Texte",
        kind="discussion",
    )
    assert "Un nouveau fil" in page(client, open_community)

    interactions.comment_create(author=employee, target=thread, body="Une réponse.")
    view = page(client, open_community)
    assert "1 reply" in view
    assert view == cold(employee, open_community)

    client = signed_in(employee)
    assert "2 members" in page(client, open_community)
    communities.community_join(actor=UserFactory(), community=open_community)
    view = page(client, open_community)
    assert "3 members" in view
    assert view == cold(employee, open_community)


def test_the_readers_role_the_community_and_names_show_at_once(open_community, employee, manager):
    department = DepartmentFactory(name="Logistique")
    client = signed_in(employee)
    assert "Edit the community" not in page(client, open_community)
    membership = Membership.objects.get(community=open_community, user=employee)
    communities.member_set_role(actor=manager, membership=membership, role=Role.MANAGER)
    view = page(client, open_community)
    assert "Edit the community" in view
    assert view == cold(employee, open_community)

    client = signed_in(employee)
    page(client, open_community)
    communities.community_update(
        actor=manager,
        community=open_community,
        data={"name": "Club renommé", "description": "Nouvelle description"},
    )
    assert "Club renommé" in page(client, open_community)

    open_community.departments.add(department)
    assert "Logistique" in page(client, open_community)
    department.name = "Logistique et achats"
    department.save()
    assert "Logistique et achats" in page(client, open_community)

    manager.last_name = "Martin-Laurent"
    manager.save()
    view = page(client, open_community)
    assert "Martin-Laurent" in view
    assert view == cold(employee, open_community)


def test_a_new_address_leads_to_the_community_and_the_old_one_no_more(open_community, employee):
    client = signed_in(employee)
    page(client, open_community)
    old = open_community.slug
    open_community.slug = "club-renomme"
    open_community.save()
    assert "club-renomme" in page(client, open_community)
    assert client.get(f"/communities/{old}/").status_code == 404


def test_leaving_a_private_community_is_a_404_at_once(private_community, employee):
    client = signed_in(employee)
    page(client, private_community)
    communities.community_leave(actor=employee, community=private_community)
    page(client, private_community, status=404)


def test_a_hidden_thread_is_listed_for_its_author_and_managers_only(open_community, manager):
    author, reader = UserFactory(), UserFactory()
    communities.community_join(actor=author, community=open_community)
    thread = ThreadFactory(community=open_community, author=author, title="Fil discuté")
    for person in (author, reader, manager):
        assert "Fil discuté" in page(signed_in(person), open_community)
    governance.content_hide(actor=manager, obj=thread, reason="Hors charte")
    assert "Fil discuté" not in page(signed_in(reader), open_community)
    assert "Fil discuté" in page(signed_in(author), open_community)
    assert "Fil discuté" in page(signed_in(manager), open_community)


def test_an_address_remembered_for_another_community_still_leads_to_its_own(
    open_community, request_community, employee
):
    # As after a rename that gave the address to another community while the cache kept the
    # old pointer: the page is the right community's, never the other's nor a 404.
    cache.set(f"community:slug:{open_community.slug}", request_community.pk)
    view = page(signed_in(employee), open_community)
    assert open_community.name in view
    assert request_community.name not in view
