"""Global search: visibility per role with planted content, French and English stemming,
accents, typos, filters, refusals, pagination, the index kept in step, and the query budget."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from search.models import SearchDocument
from search.selectors import Filters, search

from blogs import services as blog_services
from communities import services as community_services
from communities.models import AccessMode, Role
from governance.services import content_hide
from interactions.services import comment_create, comment_delete
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.factories import AdminFactory, UserFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming and trigrams are PostgreSQL's"
)
URL = reverse("search:search")


def found(user, query, **filters):
    results = search(user=user, filters=Filters(query=query, **filters))
    return {
        (r.kind, r.title or r.excerpt.replace("<mark>", "").replace("</mark>", ""))
        for r in results.results
    }


def kinds(user, query, **filters):
    return sorted(
        r.kind for r in search(user=user, filters=Filters(query=query, **filters)).results
    )


@pytest.fixture
def member(db):
    return UserFactory(username="claire.member", first_name="Claire", last_name="Membre")


@pytest.fixture
def planted(django_capture_on_commit_callbacks, employee, colleague, member):
    """Content with the word "zéphyr" everywhere it can be, visible or not."""
    moderator = AdminFactory(username="ada.admin")
    with django_capture_on_commit_callbacks(execute=True):
        public = CommunityFactory(name="Club zéphyr", slug="club", access=AccessMode.OPEN)
        secret = CommunityFactory(
            name="Conseil zéphyr secret", slug="secret", access=AccessMode.PRIVATE
        )
        MembershipFactory(community=secret, user=member, role=Role.MEMBER)
        MembershipFactory(community=public, user=member, role=Role.MANAGER)
        thread = ThreadFactory(
            community=public, author=member, title="Projet zéphyr ouvert", body="Qui vient ?"
        )
        secret_thread = ThreadFactory(
            community=secret, author=member, title="Projet zéphyr confidentiel", body="Entre nous."
        )
        hidden_thread = ThreadFactory(
            community=public, author=member, title="Projet zéphyr masqué", body="…"
        )
        post = blog_services.post_create(
            actor=colleague, title="Billet zéphyr publié", body="Bonjour.", publish=True
        )
        blog_services.post_create(actor=colleague, title="Brouillon zéphyr", body="Pas encore.")
        hidden_post = blog_services.post_create(
            actor=colleague, title="Billet zéphyr masqué", body="Non.", publish=True
        )
        comment_create(author=employee, target=post, body="Un commentaire zéphyr visible")
        gone = comment_create(author=employee, target=post, body="Un commentaire zéphyr effacé")
        comment_delete(actor=employee, comment=gone)
        comment_create(author=member, target=thread, body="Une réponse zéphyr ouverte")
        comment_create(
            author=member, target=secret_thread, body="Une réponse zéphyr confidentielle"
        )
        content_hide(actor=moderator, obj=hidden_thread, reason="Hors sujet")
        content_hide(actor=moderator, obj=hidden_post, reason="Hors sujet")
        UserFactory(username="zephyr.gone", last_name="Zéphyr", is_active=False)
        UserFactory(
            username="zephyr.here", first_name="Zoé", last_name="Zéphyr", job_title="Pilote"
        )
    return {
        "moderator": moderator,
        "public": public,
        "secret": secret,
        "post": post,
        "thread": thread,
    }


PUBLIC = {
    ("community", "Club zéphyr"),
    ("thread", "Projet zéphyr ouvert"),
    ("post", "Billet zéphyr publié"),
    ("comment", "Un commentaire zéphyr visible"),
    ("reply", "Une réponse zéphyr ouverte"),
    ("person", "Zoé Zéphyr"),
}
PRIVATE = {
    ("community", "Conseil zéphyr secret"),
    ("thread", "Projet zéphyr confidentiel"),
    ("reply", "Une réponse zéphyr confidentielle"),
}


def test_anonymous_sees_nothing_and_the_page_asks_to_log_in(planted, client):
    assert found(AnonymousUser(), "zéphyr") == set()
    response = client.get(URL, {"q": "zéphyr"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_employee_sees_every_public_kind_and_nothing_private_draft_or_hidden(planted, employee):
    assert found(employee, "zéphyr") == PUBLIC


def test_a_member_of_the_private_community_also_sees_it(planted, member):
    assert found(member, "zéphyr") == PUBLIC | PRIVATE


def test_leaving_the_community_takes_its_content_out_at_once(planted, member):
    community_services.community_leave(actor=member, community=planted["secret"])
    assert found(member, "zéphyr") == PUBLIC


def test_an_administrator_never_sees_drafts_hidden_or_deleted_content(planted):
    # Administrators may read private communities (communities.permissions); hidden, drafts
    # and deleted comments stay out for them too.
    assert found(planted["moderator"], "zéphyr") == PUBLIC | PRIVATE


def test_kind_community_author_and_date_filters(planted, employee, member, colleague):
    assert kinds(employee, "zéphyr", kind="reply") == ["reply"]
    assert found(member, "zéphyr", community_id=planted["secret"].pk) == PRIVATE
    # A community filter never opens a community: the visibility rule still applies.
    assert found(employee, "zéphyr", community_id=planted["secret"].pk) == set()
    assert found(employee, "zéphyr", author=colleague) == {("post", "Billet zéphyr publié")}
    tomorrow = timezone.localdate() + timedelta(days=1)  # the filters read local dates
    assert found(employee, "zéphyr", since=tomorrow) == set()
    assert found(employee, "zéphyr", until=tomorrow) == PUBLIC


def test_accents_do_not_matter(planted, employee):
    assert found(employee, "ZEPHYR") == PUBLIC
    assert ("post", "Billet zéphyr publié") in found(employee, "billet zephyr")


@postgres_only
def test_french_and_english_stemming(django_capture_on_commit_callbacks, employee, colleague):
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_create(
            actor=colleague, title="Les réunions d'équipe", body="x", publish=True
        )
        blog_services.post_create(
            actor=colleague, title="Running better meetings", body="y", publish=True
        )
    assert kinds(employee, "reunion equipes") == ["post"]
    assert kinds(employee, "meeting") == ["post"]
    assert kinds(employee, "runs") == ["post"]


@postgres_only
def test_a_typo_still_finds_the_title(django_capture_on_commit_callbacks, employee, colleague):
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_create(
            actor=colleague, title="Développement durable", body="z", publish=True
        )
    assert kinds(employee, "developement") == ["post"]


def test_the_best_match_comes_first(django_capture_on_commit_callbacks, employee, colleague):
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_create(
            actor=colleague, title="Autre chose", body="On parle de colibri ici.", publish=True
        )
        blog_services.post_create(
            actor=colleague, title="Le colibri", body="Tout sur lui.", publish=True
        )
    titles = [r.title for r in search(user=employee, filters=Filters(query="colibri")).results]
    assert titles == ["Le colibri", "Autre chose"]


def test_excerpts_are_highlighted_and_escaped(
    django_capture_on_commit_callbacks, employee, colleague, planted
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(
            author=employee, target=planted["post"], body="<b>gras</b> et les Réunions du lundi"
        )
    (result,) = search(user=employee, filters=Filters(query="reunion", kind="comment")).results
    assert "<mark>Réunions</mark>" in result.excerpt
    assert "&lt;b&gt;gras&lt;/b&gt;" in result.excerpt


def test_the_index_follows_edits_and_deletes(
    django_capture_on_commit_callbacks, planted, member, employee
):
    thread = planted["thread"]
    with django_capture_on_commit_callbacks(execute=True):
        community_services.thread_edit(
            actor=member, thread=thread, title="Projet albatros", body="Qui vient ?"
        )
    assert ("thread", "Projet albatros") in found(employee, "albatros")
    with django_capture_on_commit_callbacks(execute=True):
        planted["public"].delete()
    assert found(employee, "albatros") == set()
    assert not SearchDocument.objects.filter(kind="thread", object_id=thread.pk).exists()


def test_reindex_rebuilds_the_same_documents(planted, employee):
    before = found(employee, "zéphyr")
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert "comment: 2" in out.getvalue() and "person: " in out.getvalue()
    assert found(employee, "zéphyr") == before == PUBLIC


def test_page_pagination_and_query_budget(
    django_capture_on_commit_callbacks,
    client,
    employee,
    colleague,
    planted,
    django_assert_max_num_queries,
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(25):
            comment_create(
                author=employee, target=planted["post"], body=f"Encore zéphyr numéro {n}"
            )
    client.force_login(employee)
    with django_assert_max_num_queries(10):
        first = client.get(URL, {"q": "zéphyr"})
    assert first.status_code == 200
    assert first.context["results"].total == len(PUBLIC) + 25
    assert len(first.context["results"].results) == 20
    with django_assert_max_num_queries(10):
        second = client.get(URL, {"q": "zéphyr", "page": "2", "kind": "comment"})
    assert len(second.context["results"].results) == 6
    assert second.context["results"].page.number == 2
    assert b"kind=comment" in second.content  # the filters stay in the pagination links


def test_bad_filters_are_explained_and_kept(planted, client, employee):
    client.force_login(employee)
    with translation.override("en"):
        response = client.get(
            URL, {"q": "zéphyr", "author": "nobody.here", "since": "2026-13-45", "kind": "spam"}
        )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"author", "since", "kind"}
    assert response.context["results"] is None
    content = response.content.decode()
    assert "Nobody has the username" in content
    assert 'value="nobody.here"' in content and 'value="zéphyr"' in content
    with translation.override("en"):
        response = client.get(URL, {"q": "x", "since": "2026-02-02", "until": "2026-01-01"})
    assert "The end date is before the start date." in response.content.decode()
    # A private community the person cannot see is not a choice.
    response = client.get(URL, {"q": "zéphyr", "community": str(planted["secret"].pk)})
    assert "community" in response.context["form"].errors


def test_french_and_english_interface(planted, client, employee):
    client.force_login(employee)
    pages = {}
    for language in ("fr", "en"):
        employee.preferred_language = language
        employee.save(update_fields=["preferred_language"])
        with translation.override(language):
            pages[language] = client.get(URL, {"q": "zéphyr"}).content.decode()
    french, english = pages["fr"], pages["en"]
    assert "6 résultats" in french and "Réponses (1)" in french
    assert "6 results" in english and "Replies (1)" in english
    assert 'role="search"' in english and "header-search" in english


def test_an_empty_or_blank_query_lists_nothing(planted, client, employee):
    client.force_login(employee)
    response = client.get(URL, {"q": "   "})
    assert response.status_code == 200 and response.context["results"].page is None
    assert search(user=employee, filters=Filters(query="")).results == []
