"""A thread's reply count and last activity change in the reply's own transaction
(`Thread.interaction_on_comment`), never after it; the after-commit hook only broadcasts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from communities.models import Community, Thread
from interactions import services as interactions
from interactions.models import Comment
from interactions.targets import target_content_type
from tests.communities.factories import MembershipFactory, ThreadFactory

pytestmark = pytest.mark.django_db


class Abort(Exception):
    pass


@pytest.fixture
def thread(open_community, employee):
    long_ago = timezone.now() - timedelta(days=3)
    Community.objects.filter(pk=open_community.pk).update(last_activity_at=long_ago)
    return ThreadFactory(
        community=open_community, author=employee, created_at=long_ago, last_activity_at=long_ago
    )


def _comment(thread, author) -> Comment:
    return Comment.objects.create(
        content_type=target_content_type(thread),
        object_id=thread.pk,
        author=author,
        body="Oui",
        body_html="<p>Oui</p>",
        created_at=timezone.now(),
    )


def test_the_hook_counts_inside_the_transaction_and_a_rollback_undoes_it(thread, manager):
    before = Thread.objects.get(pk=thread.pk)
    with pytest.raises(Abort), transaction.atomic():
        comment = _comment(thread, manager)
        thread.interaction_on_comment(comment, created=True)
        inside = Thread.objects.get(pk=thread.pk)
        assert inside.reply_count == 1 and inside.last_activity_at == comment.created_at
        assert Community.objects.get(pk=thread.community_id).last_activity_at == (
            comment.created_at
        )
        raise Abort
    after = Thread.objects.get(pk=thread.pk)
    assert (after.reply_count, after.last_activity_at) == (0, before.last_activity_at)


def test_a_recount_after_a_hide_or_deletion(thread, manager):
    first, second = _comment(thread, manager), _comment(thread, manager)
    thread.interaction_on_comment(second, created=True)
    assert Thread.objects.get(pk=thread.pk).reply_count == 2
    Comment.objects.filter(pk=first.pk).update(deleted_at=timezone.now())
    thread.interaction_on_comment(first, created=False)
    refreshed = Thread.objects.get(pk=thread.pk)
    assert refreshed.reply_count == 1 == thread.reply_count
    # Activity never goes back in time.
    assert refreshed.last_activity_at == second.created_at


def test_a_reply_counts_in_its_own_transaction_and_not_when_it_rolls_back(
    thread, colleague, open_community
):
    """Through interactions' comment_create: the counter is already right inside the
    transaction (no after-commit write), and a rollback leaves it untouched."""
    MembershipFactory(community=open_community, user=colleague)
    with pytest.raises(Abort), transaction.atomic():
        interactions.comment_create(author=colleague, target=thread, body="Je m'en occupe.")
        assert Thread.objects.get(pk=thread.pk).reply_count == 1
        raise Abort
    assert Thread.objects.get(pk=thread.pk).reply_count == 0
    assert not Comment.objects.exists()
    interactions.comment_create(author=colleague, target=thread, body="Je m'en occupe.")
    assert Thread.objects.get(pk=thread.pk).reply_count == 1


def test_the_after_commit_hook_only_broadcasts(thread, manager, django_assert_num_queries):
    comment = Comment.objects.select_related("author").get(pk=_comment(thread, manager).pk)
    with django_assert_num_queries(0):
        thread.interaction_after_comment(comment, created=True)
    assert Thread.objects.get(pk=thread.pk).reply_count == 0
