"""The header's menu kept in the cache per reader (ruche.header): a reader coming back gets
it without rendering it again, and every value it shows changes on the very next page: the
unread badge, the reader's name, the entries their rights open, the current entry, the search
box's query, the language. Its forms carry the reader's own CSRF token."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client

from notifications.models import Kind, Notification
from notifications.services import notifications_mark_read, notify
from tests.factories import DepartmentFactory
from tests.page_caches import signed_in

pytestmark = pytest.mark.django_db

MENU = "core/includes/site_menu.html"
CURRENT = re.compile(r'<a href="([^"]+)" aria-current="page">')


def _menu(client: Client, url: str = "/people/") -> tuple[str, bool]:
    """The page's header menu and whether it was rendered on this request."""
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    menu = page[page.index('<div class="site-menu"') : page.index("</header>")]
    return menu, MENU in [template.name for template in response.templates]


def _notify(recipient, actor) -> None:
    target = DepartmentFactory(name="Roadmap 2027", slug="roadmap-2027")
    with transaction.atomic():
        notify(
            recipients=[recipient], kind=Kind.MENTION, actor=actor, target=target,
            url="/somewhere/", summary="Hi",
        )  # fmt: skip


def test_a_reader_coming_back_gets_the_same_menu_without_rendering_it(employee):
    client = signed_in(employee)
    built, rendered = _menu(client)
    assert rendered
    kept, rendered_again = _menu(client)
    assert not rendered_again
    assert kept.replace(_token(kept), "T") == built.replace(_token(built), "T")


def test_the_unread_badge_follows_each_notification_and_reading(
    employee, colleague, django_capture_on_commit_callbacks
):
    client = signed_in(employee)
    assert 'data-unread-count="0"' in _menu(client)[0]
    with django_capture_on_commit_callbacks(execute=True):
        _notify(employee, colleague)
    menu, rendered = _menu(client)
    assert 'data-unread-count="1"' in menu and rendered
    with django_capture_on_commit_callbacks(execute=True):
        notifications_mark_read(actor=employee, everything=True)
    assert Notification.objects.filter(recipient=employee, read_at__isnull=True).count() == 0
    assert 'data-unread-count="0"' in _menu(client)[0]


def test_a_renamed_reader_and_new_rights_show_at_once(employee):
    client = signed_in(employee)
    menu, _ = _menu(client)
    assert "Claire Dubois" in menu and "/metrics/" not in menu
    employee.first_name = "Clara"
    employee.is_executive = True  # executives have a metrics dashboard
    employee.save()
    menu, _ = _menu(client)
    assert "Clara Dubois" in menu and "Claire" not in menu
    assert "/metrics/" in menu


def test_each_page_marks_its_own_entry_and_keeps_its_search_query(employee):
    client = signed_in(employee)
    assert CURRENT.findall(_menu(client, "/people/")[0]) == ["/people/"]
    assert CURRENT.findall(_menu(client, "/communities/")[0]) == ["/communities/"]
    assert 'value="budget"' in _menu(client, "/search/?q=budget")[0]
    assert 'value="offsite"' in _menu(client, "/search/?q=offsite")[0]
    assert 'name="next" value="/search/?q=offsite"' in _menu(client, "/search/?q=offsite")[0]


def test_the_menu_speaks_the_readers_language(employee):
    client = signed_in(employee)
    employee.preferred_language = "en"
    employee.save()
    assert "Log out" in _menu(client)[0]
    employee.preferred_language = "fr"
    employee.save()
    assert "Se déconnecter" in _menu(client)[0]


def test_the_kept_menu_carries_each_readers_own_working_token(employee, colleague):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(employee)
    second.force_login(colleague)
    _menu(first)
    menu, rendered = _menu(second, "/people/")  # not the first reader's token
    assert rendered  # another reader: another entry
    menu, _ = _menu(first)
    response = first.post("/accounts/logout/", {"csrfmiddlewaretoken": _token(menu)})
    assert response.status_code == 302
    assert first.get("/people/").status_code == 302  # signed out: to the sign-in page


def _token(menu: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu)
    assert found is not None
    return found.group(1)
