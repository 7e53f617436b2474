"""The page tree: blog index, Leadership space, one blog per employee at a stable address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blogs import services
from blogs.models import BlogIndexPage, BlogPage, LeadershipPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migration_creates_index_and_leadership_space():
    assert BlogIndexPage.objects.get().url_path == "/home/blogs/"
    assert LeadershipPage.objects.get().url_path == "/home/leadership/"
    assert reverse("blogs:index") == "/blogs/"


def test_blog_is_created_on_first_use_at_a_stable_address(employee):
    blog = services.blog_ensure(actor=employee)
    assert blog.url == "/blogs/claire-employee/"
    assert blog.person == employee
    assert services.blog_ensure(actor=employee).pk == blog.pk
    assert BlogPage.objects.count() == 1


def test_similar_usernames_get_distinct_addresses():
    first = services.blog_ensure(actor=UserFactory(username="anne.b"))
    second = services.blog_ensure(actor=UserFactory(username="anne-b"))
    assert first.slug == "anne-b"
    assert second.slug == "anne-b-2"


def test_new_employees_join_the_employees_group_with_admin_access(employee):
    assert employee.groups.filter(name="Employees").exists()
    assert employee.has_perm("wagtailadmin.access_admin")


def test_blog_index_page_lists_blogs(employee_client, blog):
    response = employee_client.get("/blogs/")
    assert response.status_code == 200
    assert blog.url in response.content.decode()
    assert b'rel="alternate" type="application/atom+xml"' in response.content


def test_leadership_space_gathers_executive_posts(employee_client, executive, post):
    services.post_create(actor=executive, title="Mot de la direction", body="Cap.", publish=True)
    body = employee_client.get("/leadership/").content.decode()
    assert "Mot de la direction" in body
    assert post.title not in body


def test_pages_speak_french(login, blog):
    francophone = UserFactory(username="jeanne", preferred_language="fr")
    body = login(francophone).get("/blogs/").content.decode()
    assert "Écrire un billet" in body
