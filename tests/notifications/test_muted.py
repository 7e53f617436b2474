"""notifications.services.muted(): seeding and back-filling tell nobody, broadcast nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from interactions.services import comment_create, reaction_toggle
from notifications.models import Notification
from notifications.services import broadcast_on_commit, is_muted, muted, notify
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_notify_writes_nothing_while_muted(employee, colleague):
    with muted():
        assert is_muted()
        assert (
            notify(
                recipients=[colleague],
                kind="mention",
                actor=employee,
                target=None,
                url="/",
                summary="x",
            )
            == []
        )
    assert not is_muted()
    assert not Notification.objects.exists()
    assert notify(
        recipients=[colleague], kind="mention", actor=employee, target=None, url="/", summary="x"
    )


def test_broadcasts_scheduled_while_muted_never_run(django_capture_on_commit_callbacks):
    calls: list[str] = []
    with django_capture_on_commit_callbacks(execute=True):
        with muted():
            broadcast_on_commit(lambda: calls.append("muted"))
        broadcast_on_commit(lambda: calls.append("live"))
    assert calls == ["live"]


def test_a_broadcast_whose_commit_comes_while_muted_does_not_run(
    django_capture_on_commit_callbacks,
):
    calls: list[str] = []
    with django_capture_on_commit_callbacks() as callbacks:
        broadcast_on_commit(lambda: calls.append("late"))
    with muted():
        for callback in callbacks:
            callback()
    assert calls == []


def test_a_back_dated_reply_is_dated_with_its_event_and_notifies_nobody(
    employee, colleague, django_capture_on_commit_callbacks
):
    community = CommunityFactory()
    MembershipFactory(community=community, user=employee)
    MembershipFactory(community=community, user=colleague)
    thread = ThreadFactory(community=community, author=employee)
    at = timezone.now() - timedelta(days=90)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        muted(),
        transaction.atomic(),
    ):
        reply = comment_create(author=colleague, target=thread, body="Réponse", at=at)
        reaction_toggle(user=employee, target=reply, kind="like", at=at + timedelta(hours=1))
    # No live update, no unread push, no e-mail queued: only bookkeeping (the search index,
    # the cache versions of the home feeds and of the conversation, bumped on commit by
    # core.versions, which must follow the content whoever wrote it).
    bookkeeping = {"search.indexing", "core.versions"}
    assert [c for c in callbacks if c.__module__ not in bookkeeping] == []
    assert reply.created_at == at
    event = ParticipationEvent.objects.get(verb=Verb.REPLIED)
    assert (event.occurred_at, event.object_id) == (at, reply.pk)
    assert event.conversation_type == "thread" and event.conversation_id == thread.pk
    reacted = ParticipationEvent.objects.get(verb=Verb.REACTED)
    assert reacted.occurred_at == at + timedelta(hours=1)
    assert not Notification.objects.exists()
