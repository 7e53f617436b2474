"""Atom feeds: valid (parsed by feedparser), linked from pages, readable with a secret token."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blogs import services
from blogs.models import FeedToken, PostPage
from people.models import token_digest

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def test_all_blogs_feed_is_valid_atom_with_only_visible_posts(login, employee, post):
    services.post_create(actor=employee, title="Brouillon privé", body="...")
    hidden = services.post_create(actor=employee, title="Masqué", body="...", publish=True)
    PostPage.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    feed = parse(login(employee).get(reverse("blogs:feed_all")))
    assert [e.title for e in feed.entries] == [post.title]
    entry = feed.entries[0]
    assert entry.author == employee.name
    assert entry.link.endswith(post.url)
    assert "changements de comportement" in entry.summary


def test_blog_feed_has_only_that_blog(login, employee, colleague, post, colleague_post):
    feed = parse(login(employee).get(reverse("blogs:feed_blog", args=(colleague.blog.slug,))))
    assert [e.title for e in feed.entries] == [colleague_post.title]


def test_feed_without_session_needs_a_valid_token(employee, post):
    anonymous = Client()
    assert anonymous.get(reverse("blogs:feed_all")).status_code == 404
    assert anonymous.get(reverse("blogs:feed_all"), {"token": "wrong"}).status_code == 404
    _token, secret = services.feed_token_regenerate(user=employee)
    feed = parse(anonymous.get(FeedToken.feed_url(secret)))
    assert [e.title for e in feed.entries] == [post.title]
    blog_feed = parse(anonymous.get(FeedToken.feed_url(secret, post.get_parent().specific)))
    assert len(blog_feed.entries) == 1


def test_regenerated_token_revokes_the_old_url(employee, post):
    old_url = FeedToken.feed_url(services.feed_token_regenerate(user=employee)[1])
    new_url = FeedToken.feed_url(services.feed_token_regenerate(user=employee)[1])
    assert Client().get(old_url).status_code == 404
    assert Client().get(new_url).status_code == 200


def test_token_of_a_deactivated_employee_stops_working(employee, post):
    url = FeedToken.feed_url(services.feed_token_regenerate(user=employee)[1])
    employee.is_active = False
    employee.save()
    assert Client().get(url).status_code == 404


def test_pages_link_their_feeds_in_the_head(login, employee, post):
    client = login(employee)
    for url in (post.url, post.get_parent().url, "/blogs/"):
        head = client.get(url).content.decode().split("</head>")[0]
        assert 'rel="alternate" type="application/atom+xml"' in head
        assert reverse("blogs:feed_all") in head
    assert (
        reverse("blogs:feed_blog", args=(post.get_parent().slug,))
        in client.get(post.url).content.decode().split("</head>")[0]
    )


def test_feed_settings_page_shows_the_addresses_once(employee_client, employee, blog):
    """Ruche keeps only a digest of the secret: the addresses appear in the answer that creates
    them, and never again; the page then says how to get new ones."""
    page = employee_client.get(reverse("blogs:feed_settings"))
    assert 'data-testid="feed-none"' in page.content.decode()
    assert not FeedToken.objects.filter(user=employee).exists()  # nothing made by a GET

    created = employee_client.post(reverse("blogs:feed_settings"))
    assert "no-store" in created["Cache-Control"]
    html = created.content.decode()
    all_url = created.context["all_url"]
    secret = all_url.split("token=")[1]
    assert all_url in html and created.context["own_url"] in html
    assert FeedToken.objects.get(user=employee).token_hash == token_digest(secret)
    assert Client().get(all_url).status_code == 200

    later = employee_client.get(reverse("blogs:feed_settings")).content.decode()
    assert secret not in later
    assert 'data-testid="feed-hidden"' in later

    renewed = employee_client.post(reverse("blogs:feed_settings"))
    assert renewed.context["replaced"]
    assert secret not in renewed.content.decode()
    assert Client().get(all_url).status_code == 404
    assert Client().get(renewed.context["all_url"]).status_code == 200
