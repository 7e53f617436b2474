"""Atom feeds: valid (parsed by feedparser), linked from pages, readable with a secret token."""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blogs import services
from blogs.models import PostPage

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
    token = services.feed_token_get_or_create(user=employee)
    feed = parse(anonymous.get(token.feed_url()))
    assert [e.title for e in feed.entries] == [post.title]
    blog_feed = parse(anonymous.get(token.feed_url(post.get_parent().specific)))
    assert len(blog_feed.entries) == 1


def test_regenerated_token_revokes_the_old_url(employee, post):
    old_url = services.feed_token_get_or_create(user=employee).feed_url()
    services.feed_token_regenerate(user=employee)
    assert Client().get(old_url).status_code == 404


def test_token_of_a_deactivated_employee_stops_working(employee, post):
    url = services.feed_token_get_or_create(user=employee).feed_url()
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


def test_feed_settings_page_shows_and_regenerates(employee_client, employee, blog):
    response = employee_client.get(reverse("blogs:feed_settings"))
    token = employee.feed_token.token
    assert token in response.content.decode()
    employee_client.post(reverse("blogs:feed_settings"))
    employee.feed_token.refresh_from_db()
    assert employee.feed_token.token != token
