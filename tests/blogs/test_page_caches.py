"""What the Wagtail pages keep in the cache, checked on the real pages: the site and the home
page's own row (core.models.site_remember), which view restrictions apply
(core.models.ViewRestrictionsCached), the composer (blogs.versions) and the rendered home feed
(core.feed.feed_page_html). A reader coming back reads none of them again, and a change shows
on that very visit: a restriction added or removed, the site renamed, a delegation given, a
new post. The composer's one-time key is new on every page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from blogs import services
from blogs.models import BlogIndexPage
from tests.page_caches import kept_without_reading, signed_in, without_tokens

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def test_a_reader_coming_back_reads_no_page_row_site_or_restriction(employee, post):
    client = signed_in(employee)
    for url in ("/", post.url):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as again:
            assert client.get(url).status_code == 200
        tables = " ".join(q["sql"] for q in again)
        assert '"wagtailcore_site"' not in tables
        assert '"wagtailcore_pageviewrestriction"' not in tables
    assert len(again) <= 8


def test_a_restriction_added_or_removed_applies_at_once(employee, post):
    client = signed_in(employee)
    assert client.get(post.url).status_code == 200
    restricted = PageViewRestriction.objects.create(
        page=BlogIndexPage.objects.get(), restriction_type=PageViewRestriction.GROUPS
    )
    restricted.groups.add(Group.objects.create(name="Direction"))
    assert client.get(post.url).status_code != 200
    restricted.delete()
    assert client.get(post.url).status_code == 200


def test_the_site_and_the_home_page_change_at_once(employee):
    client = signed_in(employee)
    assert client.get("/").status_code == 200
    home = Site.objects.get(is_default_site=True).root_page.specific
    home.intro = "Bienvenue dans la ruche"
    home.save_revision().publish()
    assert "Bienvenue dans la ruche" in client.get("/").content.decode()


def test_the_composer_key_is_new_on_every_page(employee):
    client = signed_in(employee)
    keys = {KEY.search(client.get("/").content.decode()).group(1) for _ in range(3)}
    assert len(keys) == 3


def test_a_delegation_shows_in_the_composer_at_once(executive, employee):
    client = signed_in(employee)
    assert executive.name not in client.get("/").content.decode()
    services.delegation_grant(actor=executive, executive=executive, delegate=employee)
    page = client.get("/").content.decode()
    composer = page[page.index('data-testid="composer"') :]
    assert executive.name in composer
    services.delegation_revoke(actor=executive, executive=executive, delegate=employee)
    page = client.get("/").content.decode()
    assert executive.name not in page[page.index('data-testid="composer"') :]


def test_a_new_post_is_in_the_feed_at_the_next_visit(employee, colleague):
    client = signed_in(employee)
    client.get("/")
    services.post_create(actor=colleague, title="Tout nouveau billet", body="Texte.", publish=True)
    assert "Tout nouveau billet" in client.get("/").content.decode()


# --- The post page's article (blogs.pages) -----------------------------------------------------

ARTICLE = re.compile(r'<article class="post".*?</article>', re.S)


def article(client: Client, post) -> str:
    response = client.get(post.url)
    assert response.status_code == 200
    found = ARTICLE.search(response.content.decode())
    assert found
    return without_tokens(found.group(0))


def cold(user, post) -> str:
    from django.core.cache import cache

    cache.clear()
    return article(signed_in(user), post)


def test_a_reader_coming_back_reads_none_of_the_articles_rows(colleague, post):
    client = signed_in(colleague)
    tables = ("taggit_tag", "blogs_follow", "blogs_delegation", "blogs_blogpage")
    kept = kept_without_reading(lambda: article(client, post), tables)
    assert kept == cold(colleague, post)


def test_following_republishing_and_renaming_show_at_once(colleague, employee, post):
    client = signed_in(colleague)
    assert 'data-testid="follow"' in article(client, post)
    services.follow_create(actor=colleague, person=employee)
    assert 'data-testid="unfollow"' in article(client, post)

    revision = post.save_revision()
    draft = revision.as_object()
    draft.title = "Adopter les médias sociaux, revu"
    draft.save_revision().publish()
    view = article(client, post)
    assert "Adopter les médias sociaux, revu" in view

    employee.job_title = "Cheffe de projet"
    employee.save()
    view = article(client, post)
    assert "Cheffe de projet" in view
    assert view == cold(colleague, post)


def test_a_delegate_gets_the_edit_link_at_once_and_loses_it_at_once(executive, colleague):
    services.blog_ensure(actor=executive)
    post = services.post_create(
        actor=executive, title="Le mot du directeur", body="Texte.", publish=True
    )
    client = signed_in(colleague)
    assert 'data-testid="edit-post"' not in article(client, post)
    services.delegation_grant(actor=executive, executive=executive, delegate=colleague)
    assert 'data-testid="edit-post"' in article(client, post)
    services.delegation_revoke(actor=executive, executive=executive, delegate=colleague)
    assert 'data-testid="edit-post"' not in article(client, post)


def test_a_preview_is_never_kept_for_the_live_page(rf, colleague, employee, post):
    client = signed_in(colleague)
    article(client, post)
    draft = post.get_latest_revision_as_object()
    draft.title = "Un titre encore en brouillon"
    request = rf.get(post.url)
    request.user, request.is_preview = employee, True
    assert "post_article" not in draft.get_context(request)
    assert "Un titre encore en brouillon" not in article(client, post)
    assert "Un titre encore en brouillon" not in article(signed_in(employee), post)
