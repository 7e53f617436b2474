"""@mentions in a post body: linked to the person's profile, and the person notified once,
when the post is published with their name in it, if they can see it (like comments)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blogs import services
from governance.services import content_hide
from interactions.models import TargetMention
from notifications.models import Notification
from tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sophie(db):
    return UserFactory(
        username="sophie.laurent", first_name="Sophie", last_name="Laurent", preferred_language="fr"
    )


def _paragraphs(*html: str) -> list[dict]:
    return [{"type": "paragraph", "value": value} for value in html]


def _mentions_of(person) -> int:
    return Notification.objects.filter(recipient=person, kind="mention").count()


def _republish(post, actor, body: list[dict]) -> None:
    post = post.specific
    post.body = json.dumps(body)
    post.save_revision(user=actor)
    services.post_publish(actor=actor, post=post)


def test_a_mention_is_linked_and_notified_once(client, employee, blog, sophie, colleague):
    post = services.post_create(
        actor=employee,
        title="Merci",
        body=_paragraphs("<p>Merci @sophie.laurent pour l’atelier, et @personne.inconnue.</p>"),
        publish=True,
    )
    assert _mentions_of(sophie) == 1
    notice = Notification.objects.get(recipient=sophie, kind="mention")
    assert notice.url == post.get_absolute_url()
    assert "Claire Dubois" in notice.summary and "Merci" in notice.summary
    # Republishing the same text, or an edit that keeps the name, does not notify again.
    _republish(post, employee, _paragraphs("<p>Merci @sophie.laurent, encore.</p>"))
    assert _mentions_of(sophie) == 1
    # Someone named for the first time in an edit hears of it, once.
    _republish(post, employee, _paragraphs("<p>Merci @sophie.laurent et @marc.colleague.</p>"))
    assert _mentions_of(sophie) == 1 and _mentions_of(colleague) == 1
    assert TargetMention.objects.filter(object_id=post.pk).count() == 2

    client.force_login(colleague)
    html = client.get(post.get_absolute_url()).content.decode()
    link = f'<a class="mention" href="{sophie.get_absolute_url()}" data-user-id="{sophie.pk}">'
    assert f"{link}@sophie.laurent</a>" in html
    assert f'href="{colleague.get_absolute_url()}" data-user-id="{colleague.pk}">@marc' in html


def test_a_draft_notifies_nobody_until_it_is_published(employee, blog, sophie):
    post = services.post_create(
        actor=employee, title="Brouillon", body=_paragraphs("<p>Pour @sophie.laurent</p>")
    )
    assert _mentions_of(sophie) == 0
    services.post_publish(actor=employee, post=post)
    assert _mentions_of(sophie) == 1


def test_no_notification_for_the_author_nor_a_deactivated_person(employee, blog, sophie):
    sophie.is_active = False
    sophie.save(update_fields=["is_active"])
    services.post_create(
        actor=employee,
        title="Moi",
        body=_paragraphs("<p>@claire.employee et @sophie.laurent</p>"),
        publish=True,
    )
    assert _mentions_of(employee) == 0 and _mentions_of(sophie) == 0


def test_not_notified_when_they_cannot_see_the_post(employee, blog, sophie):
    post = services.post_create(actor=employee, title="Caché", body="Un texte.", publish=True)
    content_hide(actor=AdminFactory(), obj=post.specific, reason="Hors charte")
    _republish(post, employee, _paragraphs("<p>Et maintenant @sophie.laurent ?</p>"))
    assert _mentions_of(sophie) == 0


def test_mentions_in_links_and_code_are_not_mentions(employee, blog, sophie):
    services.post_create(
        actor=employee,
        title="Liens",
        body=_paragraphs(
            '<p><a href="https://exemple.fr/@sophie.laurent">@sophie.laurent</a></p>',
            "<p>Voir https://exemple.fr/@sophie.laurent/profil</p>",
        ),
        publish=True,
    )
    assert _mentions_of(sophie) == 0


def test_linking_mentions_costs_the_post_page_one_query(client, employee, blog, sophie, colleague):
    def queries(body):
        post = services.post_create(actor=employee, title="Page", body=body, publish=True)
        client.get(post.get_absolute_url())  # warm the caches
        with CaptureQueriesContext(connection) as captured:
            html = client.get(post.get_absolute_url()).content.decode()
        return len(captured), html

    client.force_login(colleague)
    plain, _html = queries(_paragraphs("<p>Personne</p>"))
    names = " ".join(f"@{u.username}" for u in (sophie, colleague, employee))
    linked, html = queries(_paragraphs(f"<p>{names}</p>", f"<p>{names}</p>"))
    assert html.count('class="mention"') == 6
    assert linked <= plain + 1
