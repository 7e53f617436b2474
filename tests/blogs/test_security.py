"""User HTML never brings scripts, event handlers or javascript: URLs to a page; a comment on
a removed post says so and keeps the text."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from blogs import services
from tests.blogs.test_admin_permissions import add_url, post_form

pytestmark = pytest.mark.django_db

EVIL = (
    '<p onclick="steal()">Bonjour<script>alert(1)</script> <a href="javascript:alert(2)">x</a></p>'
)


def assert_clean(html: str) -> None:
    lowered = html.lower()
    assert "<script>alert" not in lowered
    assert "onclick" not in lowered
    assert "javascript:alert" not in lowered


def test_service_sanitises_paragraph_html(login, employee, colleague, blog):
    post = services.post_create(
        actor=employee,
        title="Propre",
        body=[{"type": "paragraph", "value": EVIL}],
        publish=True,
    )
    body = login(colleague).get(post.url).content.decode()
    assert "Bonjour" in body
    assert_clean(body.split('<div class="post-body">')[1].split("</div>")[0])


def test_editor_link_to_javascript_never_reaches_the_page(login, employee, colleague, blog):
    contentstate = {
        "blocks": [
            {
                "key": "a",
                "text": "clique",
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 6, "key": 0}],
            }
        ],
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(2)"}}
        },
    }
    data = post_form("Lien piégé", "action-publish")
    data["body-0-value"] = json.dumps(contentstate)
    response = login(employee).post(add_url(blog), data)
    assert response.status_code == 302
    from blogs.models import PostPage

    post = PostPage.objects.get(title="Lien piégé")
    page = login(colleague).get(post.url).content.decode()
    assert_clean(page)


def test_quote_and_heading_are_escaped(login, employee, colleague, blog):
    post = services.post_create(
        actor=employee,
        title="<script>alert(3)</script>",
        body=[
            {"type": "quote", "value": {"text": "<script>alert(4)</script>", "source": ""}},
            {"type": "heading", "value": {"text": "<img src=x onerror=alert(5)>", "level": "h2"}},
        ],
        publish=True,
    )
    page = login(colleague).get(post.url).content.decode()
    assert "<script>alert(3)" not in page and "<script>alert(4)" not in page
    assert "<img src=x onerror" not in page


def test_comment_on_a_removed_post_says_so_and_keeps_the_text(login, employee, colleague, post):
    url = reverse("interactions:comment_create", args=("post", post.pk))
    services.post_unpublish(actor=employee, post=post)
    response = login(colleague).post(url, {"body": "Mon commentaire important"})
    assert response.status_code == 404
    body = response.content.decode()
    assert "Mon commentaire important" in body
    assert "was not published" in body
