"""Thread writes: charter gate, edit and delete own, moderation with audit, search."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from communities import services
from communities.models import Thread
from governance.models import AuditEntry
from governance.services import content_hide, content_restore
from tests.communities.factories import ThreadFactory
from tests.governance.factories import PublishedCharterFactory

pytestmark = pytest.mark.django_db


def test_the_charter_comes_first_and_the_typed_thread_is_kept(
    employee_client, open_community, employee
):
    PublishedCharterFactory()
    url = reverse("communities:thread_create", args=[open_community.slug])
    data = {"kind": "discussion", "title": "Mon premier fil", "body": "Texte à ne pas perdre"}
    response = employee_client.post(url, data)
    assert response.status_code == 302 and "charter" in response.url
    assert not Thread.objects.exists()
    # Back on the form (after accepting, or not yet), the text is still there.
    page = employee_client.get(url).content.decode()
    assert "Texte à ne pas perdre" in page and "Mon premier fil" in page


def test_authors_edit_and_delete_their_own_threads_only(
    client, open_community, employee, colleague, manager
):
    thread = ThreadFactory(community=open_community, author=employee)
    with pytest.raises(PermissionDenied):
        services.thread_edit(actor=colleague, thread=thread, title="Hacked", body="x")
    client.force_login(employee)
    response = client.post(
        reverse("communities:thread_edit", args=[open_community.slug, thread.pk]),
        {"title": "Titre corrigé", "body": "Nouveau <i>texte</i>"},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.title == "Titre corrigé" and thread.edited_at is not None
    assert "<i>" not in thread.body_html
    with pytest.raises(PermissionDenied):
        services.thread_delete(actor=manager, thread=thread)  # managers hide, not delete
    client.post(
        reverse("communities:thread_action", args=[open_community.slug, thread.pk, "delete"])
    )
    thread.refresh_from_db()
    assert thread.deleted_at is not None
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert AuditEntry.objects.filter(action="thread.deleted").exists()


def test_hide_and_restore_are_audited(open_community, employee, manager):
    thread = ThreadFactory(community=open_community, author=employee)
    content_hide(actor=manager, obj=thread, reason="Hors charte")
    content_restore(actor=manager, obj=thread)
    thread.refresh_from_db()
    assert thread.hidden_at is None and thread.hidden_by is None
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["thread.hidden", "thread.restored"]
    with pytest.raises(PermissionDenied):
        content_hide(actor=employee, obj=thread, reason="Hors charte")


def test_search_finds_threads_only_where_the_reader_may_read(
    client,
    open_community,
    private_community,
    manager,
    outsider,
    employee,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ThreadFactory(community=open_community, author=manager, title="Retours clients ouverts")
        ThreadFactory(community=private_community, author=manager, title="Retours clients secrets")
    client.force_login(outsider)
    # The directory links to global search for threads (one search, one set of rules).
    page = client.get(reverse("communities:index"), {"q": "retours"}).content.decode()
    link = reverse("search:search") + "?q=retours&amp;kind=thread"
    assert link in page
    search = reverse("search:search")
    page = client.get(search, {"q": "retours", "kind": "thread"}).content.decode()
    # The searched word is marked in each title.
    assert "<mark>Retours</mark> clients ouverts" in page and "clients secrets" not in page
    client.force_login(employee)
    page = client.get(search, {"q": "retours", "kind": "thread"}).content.decode()
    assert "<mark>Retours</mark> clients secrets" in page


def test_members_react_to_a_thread_and_outsiders_of_a_private_one_cannot(
    client, private_community, employee, outsider, manager
):
    thread = ThreadFactory(community=private_community, author=manager)
    url = reverse("interactions:reaction_toggle", args=["thread", thread.pk])
    client.force_login(outsider)
    assert client.post(url, {"kind": "like"}).status_code == 404
    client.force_login(employee)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'id="reactions-thread-{thread.pk}"' in page
    client.post(url, {"kind": "like"})
    from interactions.models import Reaction

    assert Reaction.objects.filter(user=employee).count() == 1
