"""The "post" content kind (blogs.content) and moderation of posts through the kernel
(governance.services.content_hide / content_restore): one audit row, one notice to the author,
and the post gone from every list; the moderation state outlives any published revision."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from blogs import services
from blogs.models import PostPage
from core import content
from governance.models import AuditEntry
from governance.services import content_hide, content_restore
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _hide(administrator, post, reason="Hors charte", capture=None):
    with capture(execute=True):
        return content_hide(actor=administrator, obj=post, reason=reason)


# --- The adapter -------------------------------------------------------------------------------
def test_post_kind_is_registered_with_its_rules(employee, colleague, administrator, post):
    kind = content.kind("post")
    assert content.kind_for(post) is kind
    found = content.load("post", post.pk)
    assert found is not None and found[1] == post
    assert content.load("post", 10**12) is None and content.load("post", "x") is None
    assert kind.author(post) == employee
    assert kind.excerpt(post) == post.title
    assert kind.url(post) == post.get_absolute_url()
    assert kind.community_id(post) is None
    assert content.conversation_of(post) == ("post", post.pk)
    assert kind.comment_kind == "comment"
    for person, sees, moderates in (
        (employee, True, False),
        (colleague, True, False),
        (administrator, True, True),
    ):
        assert kind.visible_to(person, post) is sees
        assert kind.can_moderate(person, post) is moderates


def test_drafts_and_hidden_posts_through_the_adapter(
    employee, colleague, administrator, post, django_capture_on_commit_callbacks
):
    kind = content.kind("post")
    draft = services.post_create(actor=employee, title="Brouillon", body="...")
    loaded = kind.load(draft.pk)
    assert loaded is not None
    assert not kind.visible_to(colleague, loaded) and not kind.visible_to(employee, loaded)
    _hide(administrator, post, capture=django_capture_on_commit_callbacks)
    hidden = kind.load(post.pk)
    assert kind.is_hidden(hidden)
    assert not kind.visible_to(colleague, hidden)
    assert kind.visible_to(employee, hidden)  # its author still reads it
    assert kind.visible_to(administrator, hidden)


# --- Hiding through the kernel -----------------------------------------------------------------
def _moderate_url(post):
    return reverse("blogs_post_moderate", args=(post.pk,))


def _hide_in_wagtail(login, administrator, post, reason):
    response = login(administrator).post(_moderate_url(post), {"reason": reason})
    assert response.status_code == 302


def _hide_through_the_service(login, administrator, post, reason):
    content_hide(actor=administrator, obj=post, reason=reason)


@pytest.mark.parametrize("entry_point", [_hide_through_the_service, _hide_in_wagtail])
def test_hiding_a_post_audits_tells_the_author_and_removes_it_everywhere(
    entry_point,
    client,
    login,
    employee,
    colleague,
    administrator,
    post,
    django_capture_on_commit_callbacks,
):
    assert login(colleague).get(post.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        entry_point(login, administrator, post, "Propos hors charte")

    audit = AuditEntry.objects.filter(action="post.hidden", target_id=str(post.pk))
    assert audit.count() == 1 and audit.get().actor == administrator
    notices = Notification.objects.filter(recipient=employee, kind="moderation")
    assert notices.count() == 1
    assert "Propos hors charte" in notices.get().summary
    post.refresh_from_db()
    assert post.hidden_by == administrator and post.hidden_reason == "Propos hors charte"

    client = login(colleague)
    assert client.get(post.url).status_code == 404
    blog_page = client.get(post.get_parent().url)
    assert post not in blog_page.context["posts_page"].object_list
    assert f"post:{post.pk}" not in [item.key for item in client.get("/").context["feed_items"]]
    found = client.get(reverse("search:search"), {"q": "comportement"}).context["results"]
    assert post.title not in [result.title for result in found.results]
    feed = feedparser.parse(client.get(reverse("blogs:feed_all")).content)
    assert post.title not in [entry.title for entry in feed.entries]


def test_hiding_twice_changes_nothing_and_restoring_tells_the_author(
    login, employee, colleague, administrator, post, django_capture_on_commit_callbacks
):
    _hide(administrator, post, capture=django_capture_on_commit_callbacks)
    _hide(administrator, post, capture=django_capture_on_commit_callbacks)
    assert AuditEntry.objects.filter(action="post.hidden").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        content_restore(actor=administrator, obj=post)
    assert AuditEntry.objects.filter(action="post.restored").count() == 1
    assert Notification.objects.filter(recipient=employee, kind="moderation").count() == 2
    assert login(colleague).get(post.url).status_code == 200


# --- Moderation outlives revisions -------------------------------------------------------------
def test_publishing_a_revision_never_unhides_a_post(
    employee, colleague, administrator, post, django_capture_on_commit_callbacks
):
    before_hiding = post.get_latest_revision()
    _hide(administrator, post, capture=django_capture_on_commit_callbacks)

    # The author edits and republishes (the editor's path: a stale copy of the page).
    stale = PostPage.objects.get(pk=post.pk)
    stale.hidden_at = None  # as a copy read before the hide would have it
    stale.title = "Adopter les médias sociaux (corrigé)"
    stale.save_revision(user=employee).publish(user=employee)
    assert PostPage.objects.get(pk=post.pk).hidden_at is not None

    # A revert to the revision saved before the hide.
    before_hiding.publish(user=employee)
    assert PostPage.objects.get(pk=post.pk).hidden_at is not None

    # A scheduled revision going live.
    current = PostPage.objects.get(pk=post.pk)
    current.title = "Version programmée"
    current.go_live_at = timezone.now() + timedelta(days=1)
    scheduled = current.save_revision(user=employee)
    scheduled.publish(user=employee)
    # Its date comes: move it to the past instead of waiting (in the revision and its approval).
    due = Revision.objects.get(pk=scheduled.pk)
    past = timezone.now() - timedelta(minutes=1)
    due.content["go_live_at"] = past.isoformat()
    due.approved_go_live_at = past
    due.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled", verbosity=0)
    published = PostPage.objects.get(pk=post.pk)
    assert published.title == "Version programmée"
    assert published.hidden_at is not None
    assert published.hidden_by == administrator and published.hidden_reason == "Hors charte"
    assert not content.kind("post").visible_to(colleague, published)


# --- Rights map --------------------------------------------------------------------------------
def test_rights_source_answers_as_the_rights_map_did(employee, executive, delegate):
    """The answers governance/rights.py gave before the registry (own_blog, leadership,
    prepares_for), for an employee, an executive, their delegate and someone who left."""
    inactive = UserFactory(username="left.company", is_active=False)
    source = content.kind("post").rights_source
    people = [employee, executive, delegate, inactive]
    answers = source.rights(people)
    expected = {
        employee: {("blog", "post", True), ("leadership", "post", False)},
        executive: {("blog", "post", True), ("leadership", "post", True)},
        delegate: {
            ("blog", "post", True),
            ("leadership", "post", False),
            (f"prepare:{executive.pk}", "prepare", True),
        },
        inactive: {("blog", "post", False), ("leadership", "post", False)},
    }
    for person in people:
        assert {(r.place, r.ask, r.allowed) for r in answers[person.pk]} == expected[person]
    (prepare,) = [r for r in answers[delegate.pk] if r.ask == "prepare"]
    assert prepare.place_label == executive.name and str(prepare.role) == "delegate"
    assert [r.place for r in source.rights(people, place="leadership")[executive.pk]] == [
        "leadership"
    ]
    assert source.rights(people, place=f"prepare:{executive.pk}")[employee.pk] == []
    assert source.rights(people, place=f"prepare:{executive.pk}")[delegate.pk] == [prepare]
    assert [key for key, _label in source.places()] == ["blog", "leadership"]


def test_rights_source_runs_a_fixed_number_of_queries(
    employee, executive, delegate, django_assert_max_num_queries
):
    people = [employee, executive, delegate, *UserFactory.create_batch(10)]
    source = content.kind("post").rights_source
    with django_assert_max_num_queries(1):
        source.rights(people)


# --- Editorial calendar ------------------------------------------------------------------------
def test_calendar_shows_scheduled_posts_to_author_delegate_and_administrators(
    executive, delegate, colleague, administrator
):
    blog = services.blog_ensure(actor=executive)
    when = timezone.now() + timedelta(days=2)
    services.post_create(
        actor=executive, blog=blog, title="Le plan de l'année", body="...", go_live_at=when
    )
    kind = content.kind("post")
    start, end = timezone.localdate(), timezone.localdate() + timedelta(days=7)
    for person, sees in (
        (executive, True),
        (delegate, True),
        (administrator, True),
        (colleague, False),
    ):
        entries = kind.calendar_entries(person, start, end)
        assert [(e.title, e.scheduled, e.place) for e in entries] == (
            [("Le plan de l'année", True, "leadership")] if sees else []
        ), person


# --- Wagtail's admin ---------------------------------------------------------------------------
def test_only_administrators_get_the_moderation_button_and_page(
    login, employee, colleague, administrator, post
):
    explorer = reverse("wagtailadmin_explore", args=(post.get_parent().pk,))
    assert _moderate_url(post).encode() in login(administrator).get(explorer).content
    assert _moderate_url(post).encode() not in login(employee).get(explorer).content
    for person in (employee, colleague):
        assert login(person).get(_moderate_url(post)).status_code in (302, 404)
        login(person).post(_moderate_url(post), {"reason": "Non"})
    assert PostPage.objects.get(pk=post.pk).hidden_at is None


def test_hiding_in_wagtail_needs_a_reason_and_restores_there_too(
    login, employee, administrator, post, django_capture_on_commit_callbacks
):
    client = login(administrator)
    assert client.get(_moderate_url(post)).status_code == 200
    response = client.post(_moderate_url(post), {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert PostPage.objects.get(pk=post.pk).hidden_at is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_moderate_url(post), {"reason": "Hors charte"})
        client.post(_moderate_url(post), {})
    assert PostPage.objects.get(pk=post.pk).hidden_at is None
    actions = AuditEntry.objects.filter(target_id=str(post.pk)).values_list("action", flat=True)
    assert sorted(actions) == ["post.hidden", "post.restored"]
