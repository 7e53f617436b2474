"""Services: who may write, publish, unpublish, delete; events recorded once; follows; tokens."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from blogs import services
from blogs.models import FeedToken, Follow, PostPage

pytestmark = pytest.mark.django_db


def posted_events(post):
    return ParticipationEvent.objects.filter(
        verb=Verb.POSTED, object_type="blogs.postpage", object_id=post.pk
    )


def test_draft_is_not_live_and_records_no_event(employee, blog):
    post = services.post_create(actor=employee, title="Brouillon", body="Pas encore.")
    assert not post.live
    assert post.author == employee
    assert not posted_events(post).exists()


def test_publishing_records_one_posted_event_even_when_republished(employee, post):
    assert post.live
    assert posted_events(post).count() == 1
    post.save_revision(user=employee).publish(user=employee)
    assert posted_events(post).count() == 1
    assert posted_events(post).get().actor == employee


def test_backdated_publication_dates_the_event(employee, blog):
    when = timezone.now() - timedelta(days=200)
    post = services.post_create(
        actor=employee, title="Ancien", body="Il y a longtemps.", publish=True, published_at=when
    )
    assert post.first_published_at == when
    assert posted_events(post).get().occurred_at == when


def test_scheduled_post_waits_for_its_date(employee, blog):
    later = timezone.now() + timedelta(days=3)
    post = services.post_create(
        actor=employee, title="Plus tard", body="Bientôt.", go_live_at=later
    )
    assert not post.live
    assert post.get_latest_revision().approved_go_live_at == later


def test_nobody_writes_on_someone_elses_blog(colleague, blog):
    with pytest.raises(PermissionDenied):
        services.post_create(actor=colleague, blog=blog, title="Intrus", body="Non.")
    assert not PostPage.objects.exists()


def test_nobody_publishes_unpublishes_or_deletes_someone_elses_post(colleague, post):
    for call in (services.post_publish, services.post_unpublish, services.post_delete):
        with pytest.raises(PermissionDenied):
            call(actor=colleague, post=post)
    post.refresh_from_db()
    assert post.live


def test_administrator_unpublishes_but_neither_publishes_nor_deletes(administrator, post):
    services.post_unpublish(actor=administrator, post=post)
    post.refresh_from_db()
    assert not post.live
    with pytest.raises(PermissionDenied):
        services.post_publish(actor=administrator, post=post)
    with pytest.raises(PermissionDenied):
        services.post_delete(actor=administrator, post=post)


def test_owner_deletes_own_post_and_the_audit_log_keeps_it(employee, post):
    from governance.models import AuditEntry

    title = post.title
    services.post_delete(actor=employee, post=post)
    assert not PostPage.objects.filter(pk=post.pk).exists()
    entry = AuditEntry.objects.get(action="post.deleted")
    assert (entry.actor, entry.target_id) == (employee, str(post.pk))
    assert entry.before["title"] == title


def test_a_refused_deletion_leaves_no_audit_entry(administrator, post):
    from governance.models import AuditEntry

    with pytest.raises(PermissionDenied):
        services.post_delete(actor=administrator, post=post)
    assert not AuditEntry.objects.exists()


def test_delegate_prepares_but_never_publishes(executive, delegate):
    draft = services.post_create(
        actor=delegate,
        blog=services.blog_ensure(actor=delegate, person=executive),
        title="Vision",
        body="Préparé.",
    )
    assert draft.author == executive
    assert draft.prepared_by == delegate
    with pytest.raises(PermissionDenied):
        services.post_publish(actor=delegate, post=draft)
    with pytest.raises(PermissionDenied):
        services.post_create(
            actor=delegate, blog=executive.blog, title="Direct", body="Non.", publish=True
        )
    services.post_publish(actor=executive, post=draft)
    assert PostPage.objects.get(pk=draft.pk).live


def test_delegation_is_given_by_the_executive_only(executive, employee, colleague):
    with pytest.raises(PermissionDenied):
        services.delegation_grant(actor=employee, executive=executive, delegate=colleague)
    with pytest.raises(PermissionDenied):
        services.delegation_grant(actor=employee, executive=employee, delegate=colleague)


def test_revoked_delegate_can_no_longer_prepare(executive, delegate):
    blog = services.blog_ensure(actor=executive)
    services.delegation_revoke(actor=executive, executive=executive, delegate=delegate)
    delegate.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.post_create(actor=delegate, blog=blog, title="Après", body="Non.")


def test_follow_person_and_blog_record_events_and_are_idempotent(employee, colleague, blog):
    follow = services.follow_create(actor=colleague, person=employee)
    assert services.follow_create(actor=colleague, person=employee).pk == follow.pk
    services.follow_create(actor=colleague, blog=blog)
    assert Follow.objects.filter(follower=colleague).count() == 2
    events = ParticipationEvent.objects.filter(verb=Verb.FOLLOWED, actor=colleague)
    assert events.count() == 2
    assert events.first().target_user_id == employee.pk
    assert services.follow_delete(actor=colleague, person=employee) == 1
    assert services.follow_delete(actor=colleague, person=employee) == 0


def test_cannot_follow_yourself(employee, blog):
    with pytest.raises(PermissionDenied):
        services.follow_create(actor=employee, person=employee)
    with pytest.raises(PermissionDenied):
        services.follow_create(actor=employee, blog=blog)


def test_feed_token_regeneration_changes_the_secret(employee):
    assert services.feed_token_of(user=employee) is None
    token, first = services.feed_token_regenerate(user=employee)
    assert services.feed_token_of(user=employee) == token
    again, second = services.feed_token_regenerate(user=employee)
    assert again.pk == token.pk
    assert second != first
    assert FeedToken.owner_of(second) == employee
    assert FeedToken.owner_of(first) is None


def test_charter_is_required_before_posting(employee, blog):
    from governance.exceptions import CharterNotAccepted
    from tests.governance.factories import PublishedCharterFactory

    PublishedCharterFactory()
    with pytest.raises(CharterNotAccepted):
        services.post_create(actor=employee, title="Sans charte", body="...")
    assert not PostPage.objects.exists()


def test_scheduled_post_is_published_by_the_beat_task(employee, blog):
    from blogs.tasks import publish_scheduled_posts

    post = services.post_create(
        actor=employee,
        title="Programmé",
        body="...",
        go_live_at=timezone.now() + timedelta(seconds=2),
    )
    assert publish_scheduled_posts() == 0
    assert not PostPage.objects.get(pk=post.pk).live
    time.sleep(2.2)  # the date in the revision must really be past: no clock to move here
    assert publish_scheduled_posts() == 1
    post.refresh_from_db()
    assert post.live
    assert posted_events(post).count() == 1
    assert publish_scheduled_posts() == 0


def test_moderation_hides_and_restores_a_post(administrator, colleague, post):
    from blogs.selectors import posts_visible_to
    from governance.services import content_hide, content_restore

    with pytest.raises(PermissionDenied):
        content_hide(actor=colleague, obj=post, reason="non")
    content_hide(actor=administrator, obj=post, reason="Hors charte")
    assert not posts_visible_to(colleague).filter(pk=post.pk).exists()
    content_restore(actor=administrator, obj=post)
    assert posts_visible_to(colleague).filter(pk=post.pk).exists()
