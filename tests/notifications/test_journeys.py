"""End to end through the services of the apps that notify: blogs' comments (issue 3's e-mail
on replies) and communities' private threads (visibility re-checked by the centre)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from communities import services as communities
from communities.models import AccessMode, Membership, Role
from interactions.services import comment_create
from notifications.models import Kind, Mute, Notification
from notifications.selectors import unread_count
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(employee):
    from blogs import services as blogs

    return blogs.post_create(
        actor=employee,
        title="Adopter les médias sociaux",
        body="Ce sont des changements de comportement qui sont nécessaires.",
        publish=True,
    )


def _path(link: str) -> str:
    return link.removeprefix("http://127.0.0.1:8000")


def test_a_comment_on_my_post_emails_me_and_one_click_stops_it(
    django_capture_on_commit_callbacks, client, employee, colleague, executive, post
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(author=colleague, target=post, body="Tout à fait d'accord !")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [employee.email]
    assert message.subject == "[Ruche] Marc Petit commented on “Adopter les médias sociaux”"
    # A link straight to the comment, on the site's address.
    assert f"http://127.0.0.1:8000{post.get_absolute_url()}#{comment.anchor}" in message.body
    notification = Notification.objects.get(recipient=employee)
    assert (notification.kind, notification.target) == (Kind.COMMENT, post)

    # The author of an action is never e-mailed about it: the owner replies to the comment.
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=employee, target=post, body="Merci Marc", parent=comment)
    assert [m.to for m in mail.outbox[1:]] == [[colleague.email]]
    assert "replied to you" in mail.outbox[1].subject

    # One click from the mail client, without a session: no more e-mail about this post.
    link = message.extra_headers["List-Unsubscribe"][1:-1]
    assert client.post(_path(link)).status_code == 200
    assert Mute.objects.filter(user=employee, object_id=post.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=executive, target=post, body="Bravo")
    assert len(mail.outbox) == 2
    # ...but the notification is still in the centre.
    assert Notification.objects.filter(recipient=employee, kind=Kind.COMMENT).count() == 2


def test_the_global_switch_stops_blog_emails(
    django_capture_on_commit_callbacks, employee_client, employee, colleague, post
):
    response = employee_client.post(
        reverse("notifications:settings"),
        {"in_app_kinds": [k for k, _ in Kind.choices], "digest_frequency": "weekly"},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=colleague, target=post, body="Intéressant")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=employee).count() == 1


def test_removed_from_a_private_community_the_thread_disappears_from_the_centre(
    django_capture_on_commit_callbacks, client, employee, colleague
):
    manager = colleague
    council = CommunityFactory(access=AccessMode.PRIVATE, name="Conseil", slug="conseil")
    MembershipFactory(community=council, user=manager, role=Role.MANAGER)
    MembershipFactory(community=council, user=employee)
    thread = ThreadFactory(community=council, author=employee, title="Budget secret")
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=manager, target=thread, body="Voici les chiffres")
    client.force_login(employee)
    assert "Budget secret" in client.get(reverse("notifications:centre")).content.decode()

    membership = Membership.objects.get(community=council, user=employee)
    communities.member_remove(actor=manager, membership=membership)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("notifications:centre")).content.decode()
    assert "Budget secret" not in page
    assert "Conseil" not in page
    assert unread_count(employee.pk) == 0
