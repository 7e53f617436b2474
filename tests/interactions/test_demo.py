"""The demo step that derives notifications from the seeded comments (interactions.demo)."""

import io
import random
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from interactions import demo
from interactions.models import Comment
from interactions.targets import target_content_type
from notifications.models import Kind, Notification
from tests.communities.factories import ThreadFactory

pytestmark = pytest.mark.django_db


def _comment(thread, author, days_ago, parent=None):
    return Comment.objects.create(
        content_type=target_content_type(thread),
        object_id=thread.pk,
        author=author,
        parent=parent,
        body="Bonne idée",
        body_html="<p>Bonne idée</p>",
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_demo_derives_notifications_from_recent_comments_once(employee, colleague, executive):
    thread = ThreadFactory(author=employee, title="Le conseil")
    first = _comment(thread, colleague, days_ago=10)
    _comment(thread, executive, days_ago=2, parent=first)
    _comment(thread, employee, days_ago=1)  # the owner's own comment notifies nobody
    _comment(thread, colleague, days_ago=200)  # too old for the demo's window

    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    rows = {(n.recipient_id, n.kind, n.read_at is None) for n in Notification.objects.all()}
    # The thread's owner gets the kind the service gives them: a reply in their discussion
    # (an answer to their question), not a "comment on your post".
    owner_kind = Kind(thread.interaction_owner_notification(first))
    assert rows == {(employee.pk, owner_kind, False), (colleague.pk, Kind.REPLY, True)}
    assert Notification.objects.get(recipient=employee).url.endswith(f"#{first.anchor}")
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert Notification.objects.count() == 2
    assert mail.outbox == []
