"""Migration 0003 gives the events written before it the conversation `event_record` now
records: posts and threads are their own, a comment belongs to what it was written under."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from blogs.models import PostPage
from communities.models import Community, Thread
from interactions.models import Comment

pytestmark = pytest.mark.django_db

fill = importlib.import_module("activity.migrations.0003_event_conversation_fill")
trigger = importlib.import_module("activity.migrations.0004_event_append_only_trigger")


def schema_editor(cursor) -> SimpleNamespace:
    """What the migration functions use of a schema editor: its connection, execute()."""
    return SimpleNamespace(connection=connection, execute=lambda sql: cursor.execute(sql))


def old_event(actor, verb: str, object_type: str, object_id: int | None) -> ParticipationEvent:
    now = timezone.now()
    return ParticipationEvent.objects.create(
        actor=actor,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        occurred_at=now,
        occurred_on=timezone.localdate(now),
    )


def comment_on(model: type, object_id: int, author) -> Comment:
    return Comment.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id,
        author=author,
        body="x",
        created_at=timezone.now(),
    )


def test_existing_events_get_their_conversation(employee):
    on_post = comment_on(PostPage, 31, employee)
    on_thread = comment_on(Thread, 41, employee)
    elsewhere = comment_on(Community, 51, employee)
    events = {
        "post": old_event(employee, Verb.POSTED, "blogs.postpage", 31),
        "thread": old_event(employee, Verb.STARTED_THREAD, "communities.thread", 41),
        "comment": old_event(employee, Verb.COMMENTED, "interactions.comment", on_post.pk),
        "reply": old_event(employee, Verb.REPLIED, "interactions.comment", on_thread.pk),
        "reaction": old_event(employee, Verb.REACTED, "interactions.comment", on_thread.pk),
        "elsewhere": old_event(employee, Verb.COMMENTED, "interactions.comment", elsewhere.pk),
        "gone": old_event(employee, Verb.COMMENTED, "interactions.comment", 999_999),
        "community": old_event(employee, Verb.JOINED, "communities.community", 51),
        "charter": old_event(employee, Verb.ACCEPTED_CHARTER, "", None),
    }
    # The fill runs before the trigger exists (0003 < 0004): the same here, in the test's
    # transaction, which puts the trigger back when it rolls back.
    with connection.cursor() as cursor:
        editor = schema_editor(cursor)
        trigger.drop(None, editor)
        fill.fill(None, editor)
        fill.fill(None, editor)  # a second run changes nothing
        trigger.create(None, editor)
    found = {
        name: ParticipationEvent.objects.get(pk=e.pk).conversation for name, e in events.items()
    }
    assert found == {
        "post": ("post", 31),
        "thread": ("thread", 41),
        "comment": ("post", 31),
        "reply": ("thread", 41),
        "reaction": ("thread", 41),
        "elsewhere": None,
        "gone": None,
        "community": None,
        "charter": None,
    }
