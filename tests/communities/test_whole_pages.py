"""Pages kept whole per reader (core.rendering.reader_page), on the thread page and the post
page: a reader coming back gets the same page without rendering a template, with a token of
their own that works; what changed in between shows on that very visit (a reply posted from
the kept page, the unread badge); a message is shown once; each reader gets their own page;
the post's author always sees their readers counted afresh; a page holding a form that the
page cache does not know is answered as rendered, never kept."""

from __future__ import annotations

import re
import uuid
from functools import partial

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from blogs import services as blogs
from communities import services as communities
from core.rendering import cached_fragment, reader_page
from interactions import services as interactions
from notifications.models import Kind
from notifications.services import notify
from tests.page_caches import signed_in, without_tokens

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit(client: Client, url: str) -> tuple[str, list[str]]:
    """The page and the templates rendered to answer it."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [template.name for template in response.templates]


@pytest.fixture
def post(employee):
    blogs.blog_ensure(actor=employee)
    return blogs.post_create(
        actor=employee, title="Nos outils", body="Ce qui change.", tags=[], publish=True
    )


def test_a_reader_coming_back_gets_the_page_without_rendering_it(thread, post, colleague):
    client = Client(enforce_csrf_checks=True)
    client.force_login(colleague)
    for url in (thread.get_absolute_url(), post.url):
        built, rendered = visit(client, url)
        assert rendered
        kept, rendered_again = visit(client, url)
        assert rendered_again == []
        assert without_tokens(kept) == without_tokens(built)
        assert "ruche-csrf-token-placeholder" not in kept


def test_a_reply_posted_with_the_kept_pages_token_shows_on_the_next_visit(thread, colleague):
    client = Client(enforce_csrf_checks=True)
    client.force_login(colleague)
    url = thread.get_absolute_url()
    visit(client, url)
    kept, _ = visit(client, url)
    token = TOKEN.search(kept)
    assert token
    response = client.post(
        f"/interactions/thread/{thread.pk}/comments/",
        {"body": "Une réponse depuis la page gardée.", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code in (201, 302)
    page, rendered = visit(client, url)
    assert "Une réponse depuis la page gardée." in page and rendered


def test_the_unread_badge_changes_on_a_kept_page(
    thread, colleague, employee, django_capture_on_commit_callbacks
):
    client = signed_in(colleague)
    url = thread.get_absolute_url()
    visit(client, url)
    assert 'data-unread-count="0"' in visit(client, url)[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(
            recipients=[colleague], kind=Kind.MENTION, actor=employee,
            target=thread, url="/", summary="Hi",
        )  # fmt: skip
    page, rendered = visit(client, url)
    assert 'data-unread-count="1"' in page and rendered


def test_a_message_is_shown_once(thread, manager):
    client = signed_in(manager)
    url = thread.get_absolute_url()
    visit(client, url)
    response = client.post(
        f"{url}edit/", {"title": "Nos outils, revus", "body": "Texte revu."}, follow=True
    )
    assert "Thread saved." in response.content.decode()
    page, _ = visit(client, url)
    assert "Thread saved." not in page and "Nos outils, revus" in page


def test_each_reader_gets_their_own_page(thread, manager, colleague):
    url = thread.get_absolute_url()
    moderator_page, _ = visit(signed_in(manager), url)
    reader_page_html, _ = visit(signed_in(colleague), url)
    assert manager.name in moderator_page.split("</header>")[0]
    assert colleague.name in reader_page_html.split("</header>")[0]
    assert manager.name not in reader_page_html.split("</header>")[0]


def test_a_hidden_thread_is_refused_to_a_reader_who_had_it_kept(thread, manager, colleague):
    client = signed_in(colleague)
    visit(client, thread.get_absolute_url())
    communities.thread_delete(actor=manager, thread=thread)
    assert client.get(thread.get_absolute_url()).status_code == 404


def test_the_author_sees_each_new_reader_and_commenter_counted(post, employee, colleague):
    author = signed_in(employee)
    page, _ = visit(author, post.url)
    assert "0 people read this post" in page
    assert visit(author, post.url)[1] == []  # nothing new: kept
    visit(signed_in(colleague), post.url)
    page, rendered = visit(author, post.url)
    assert "1 person read this post" in page and rendered
    interactions.comment_create(author=colleague, target=post, body="Une question ?")
    page, rendered = visit(author, post.url)
    assert "1 commenter" in page and "Une question ?" in page and rendered


def _real_token(request) -> HttpResponse:
    token = get_token(request)  # a real token outside any fragment: cannot be kept
    return HttpResponse(f'<form><input name="csrfmiddlewaretoken" value="{token}"></form>')


def _one_time_key(request) -> HttpResponse:
    html = cached_fragment(
        "test:form", lambda token: "<form>KEY</form>", csrf_token="x", seconds=60,
        fill={"KEY": str(uuid.uuid4())},
    )  # fmt: skip
    return HttpResponse(html)


@pytest.mark.parametrize("page", [_real_token, _one_time_key])
def test_a_page_with_a_form_it_does_not_know_is_never_kept(employee, page):
    renders = []

    def render(request) -> HttpResponse:
        renders.append(1)
        return page(request)

    for _ in range(2):
        request = RequestFactory().get("/somewhere/")
        request.user = employee
        request.session = {}
        request._messages = FallbackStorage(request)
        response = reader_page(request, (), ("state",), partial(render, request), seconds=60)
        assert response.status_code == 200
    assert len(renders) == 2
