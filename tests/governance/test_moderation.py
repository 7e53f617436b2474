"""Moderation: reporting, the queue (who sees what), hide / dismiss / restore through the one
moderation path (governance.services.content_hide / content_restore, which asks each kind's
adapter in core.content), telling the author once, and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities.models import AccessMode, Role
from console import selectors, services
from console.models import ContentKind, Report, ReportReason, ReportStatus
from core.refusals import NotFound
from governance.models import AuditEntry
from interactions.models import Comment
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _report(reporter, obj, kind=ContentKind.THREAD, reason=ReportReason.DISRESPECT):
    report, _created = services.report_create(
        reporter=reporter, kind=kind, object_id=obj.pk, reason=reason
    )
    return report


# --- Reporting --------------------------------------------------------------------------------


def test_an_employee_reports_a_thread(employee, thread, colleague, community):
    report = _report(employee, thread)
    assert report.status == ReportStatus.OPEN
    assert report.author == colleague
    assert report.community_id == community.pk
    assert report.excerpt == "Un sujet délicat"
    assert AuditEntry.objects.filter(action="report.created").count() == 1


def test_a_reply_is_reported_as_a_reply(employee, reply):
    report = _report(employee, reply, kind=ContentKind.REPLY)
    assert report.kind == "reply"
    # The same comment is not a "comment" (that is a comment on a post).
    with pytest.raises(NotFound):
        _report(employee, reply, kind=ContentKind.COMMENT)


def test_reporting_twice_keeps_one_open_report(employee, thread):
    first = _report(employee, thread)
    again, created = services.report_create(
        reporter=employee, kind="thread", object_id=thread.pk, reason="spam"
    )
    assert again == first and created is False
    assert Report.objects.count() == 1


def test_content_one_cannot_see_cannot_be_reported(employee, manager):
    secret = CommunityFactory(access=AccessMode.PRIVATE, slug="secret")
    MembershipFactory(community=secret, user=manager, role=Role.MANAGER)
    hidden_thread = ThreadFactory(community=secret, author=manager)
    with pytest.raises(NotFound):
        _report(employee, hidden_thread)
    with pytest.raises(NotFound):
        services.report_create(reporter=employee, kind="nonsense", object_id=1, reason="spam")


def test_other_reason_needs_details_and_own_content_is_refused(employee, colleague, thread):
    with pytest.raises(ValidationError):
        services.report_create(
            reporter=employee, kind="thread", object_id=thread.pk, reason="other"
        )
    with pytest.raises(ValidationError):
        _report(colleague, thread)
    assert not Report.objects.exists()


def test_report_page_keeps_what_was_typed_on_error(employee_client, thread):
    url = reverse("governance:report", args=["thread", thread.pk])
    response = employee_client.post(url, {"reason": "other", "details": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = employee_client.post(url, {"reason": "bogus", "details": "Mon texte"})
    assert response.status_code == 200
    assert response.context["form"]["details"].value() == "Mon texte"
    assert not Report.objects.exists()
    response = employee_client.post(url, {"reason": "spam", "details": "Publicité"})
    assert response.status_code == 302
    assert Report.objects.get().details == "Publicité"


def test_report_page_of_invisible_content_is_404(employee_client, manager):
    secret = CommunityFactory(access=AccessMode.PRIVATE, slug="secret")
    hidden_thread = ThreadFactory(community=secret, author=manager)
    url = reverse("governance:report", args=["thread", hidden_thread.pk])
    assert employee_client.get(url).status_code == 404
    assert employee_client.get(reverse("governance:report", args=["x", 1])).status_code == 404


# --- Who sees the queue -----------------------------------------------------------------------


def test_queue_scope(employee, manager, administrator, thread):
    report = _report(employee, thread)
    other = CommunityFactory(slug="ailleurs")
    other_thread = ThreadFactory(community=other)
    other_report = _report(employee, other_thread)

    assert set(selectors.moderation_queue(administrator)) == {report, other_report}
    assert list(selectors.moderation_queue(manager)) == [report]
    assert list(selectors.moderation_queue(employee)) == []


def test_queue_pages_by_role(client, employee, manager, administrator, thread):
    report = _report(employee, thread)
    client.force_login(employee)
    assert client.get(reverse("governance:moderation_queue")).status_code == 404
    response = client.post(reverse("governance:moderation_decide", args=[report.pk, "hide"]))
    assert response.status_code == 404
    client.force_login(manager)
    page = client.get(reverse("governance:moderation_queue"))
    assert page.status_code == 200
    assert f"report-{report.pk}" in page.content.decode()
    client.force_login(administrator)
    assert client.get(reverse("governance:moderation_queue")).status_code == 200


def test_a_manager_cannot_decide_on_another_community(client, employee, manager):
    other_thread = ThreadFactory(community=CommunityFactory(slug="ailleurs"))
    report = _report(employee, other_thread)
    with pytest.raises(PermissionDenied):
        services.report_hide(moderator=manager, report=report, note="Non.")
    client.force_login(manager)
    url = reverse("governance:moderation_decide", args=[report.pk, "hide"])
    assert client.post(url, {"note": "Non."}).status_code == 404
    report.refresh_from_db()
    assert report.is_open


# --- Deciding ---------------------------------------------------------------------------------


def test_hide_a_thread_closes_every_report_and_tells_the_author(
    employee, manager, colleague, thread, django_capture_on_commit_callbacks
):
    third = UserFactory()
    MembershipFactory(community=thread.community, user=third)
    report = _report(employee, thread)
    second = _report(third, thread, reason=ReportReason.FALSE)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_hide(moderator=manager, report=report, note="Propos irrespectueux.")
    thread.refresh_from_db()
    assert thread.hidden_at is not None  # hidden, not deleted
    assert thread.hidden_by == manager
    second.refresh_from_db()
    assert second.status == ReportStatus.HIDDEN
    assert second.decision_note == "Propos irrespectueux."
    # Told once, with the reason (by content_hide: the report decision adds no second notice).
    notification = Notification.objects.get(recipient=colleague, kind="moderation")
    assert "Propos irrespectueux." in notification.summary
    assert notification.url == reverse("governance:my_moderation")
    assert AuditEntry.objects.filter(action="report.hidden").count() == 1
    assert AuditEntry.objects.filter(action="thread.hidden").count() == 1


def test_hiding_needs_an_explanation(employee, manager, thread):
    report = _report(employee, thread)
    with pytest.raises(ValidationError):
        services.report_hide(moderator=manager, report=report, note="  ")
    thread.refresh_from_db()
    assert thread.hidden_at is None


def test_hide_page_keeps_the_note_on_error(client, employee, manager, thread):
    report = _report(employee, thread)
    client.force_login(manager)
    url = reverse("governance:moderation_decide", args=[report.pk, "hide"])
    response = client.post(url, {"note": "x" * 600})
    assert response.status_code == 200
    assert response.context["form"]["note"].value() == "x" * 600
    report.refresh_from_db()
    assert report.is_open


def test_the_author_sees_why_but_not_who(client, employee, manager, colleague, thread):
    report = _report(employee, thread)
    services.report_hide(moderator=manager, report=report, note="Hors charte.")
    client.force_login(colleague)
    page = client.get(reverse("governance:my_moderation")).content.decode()
    assert "Hors charte." in page
    assert employee.name not in page
    # The author still sees the hidden thread; other members do not.
    from communities.permissions import can_view_thread

    thread.refresh_from_db()
    assert can_view_thread(colleague, thread)
    assert not can_view_thread(employee, thread)


def test_dismiss_leaves_the_content(employee, manager, thread):
    report = _report(employee, thread)
    services.report_dismiss(moderator=manager, report=report)
    thread.refresh_from_db()
    report.refresh_from_db()
    assert thread.hidden_at is None
    assert report.status == ReportStatus.DISMISSED
    with pytest.raises(ValidationError):
        services.report_dismiss(moderator=manager, report=report)


def test_restore_shows_the_content_again(client, employee, manager, colleague, thread):
    report = _report(employee, thread)
    services.report_hide(moderator=manager, report=report, note="Hors charte.")
    client.force_login(manager)
    client.post(reverse("governance:moderation_decide", args=[report.pk, "restore"]))
    thread.refresh_from_db()
    report.refresh_from_db()
    assert thread.hidden_at is None
    assert report.status == ReportStatus.RESTORED
    assert AuditEntry.objects.filter(action="report.restored").exists()
    with pytest.raises(ValidationError):
        services.report_restore(moderator=manager, report=report)


def test_hide_and_restore_a_reply_through_interactions(employee, manager, colleague, reply):
    report = _report(employee, reply, kind=ContentKind.REPLY)
    services.report_hide(moderator=manager, report=report, note="Insultant.")
    reply.refresh_from_db()
    assert reply.hidden_at is not None
    assert reply.hidden_reason == "Insultant."
    assert Comment.objects.filter(pk=reply.pk).exists()  # never deleted
    services.report_restore(moderator=manager, report=report)
    reply.refresh_from_db()
    assert reply.hidden_at is None


def test_queue_query_count_is_flat(client, administrator, employee, django_assert_max_num_queries):
    community = CommunityFactory(slug="grand")
    for _ in range(12):
        _report(employee, ThreadFactory(community=community))
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("governance:moderation_queue"))
    assert len(response.context["page"].object_list) == 12


# --- Blog posts and the comments on them: administrators ---------------------------------------


@pytest.fixture
def post(colleague):
    from blogs import services as blog_services

    return blog_services.post_create(
        actor=colleague, title="Un billet contesté", body="Texte", publish=True
    )


def test_a_blog_post_is_hidden_by_an_administrator_not_deleted(
    employee, manager, administrator, colleague, post, django_capture_on_commit_callbacks
):
    from blogs.models import PostPage
    from blogs.permissions import can_view_post

    report = _report(employee, post, kind=ContentKind.POST)
    assert report.community_id is None
    assert list(selectors.moderation_queue(manager)) == []  # not a community's content
    with pytest.raises(PermissionDenied):
        services.report_hide(moderator=manager, report=report, note="Non.")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_hide(moderator=administrator, report=report, note="Confidentiel.")
    post = PostPage.objects.get(pk=post.pk)
    assert post.hidden_at is not None and post.live
    assert not can_view_post(employee, post)
    assert can_view_post(colleague, post)  # the author still sees it
    notification = Notification.objects.get(recipient=colleague, kind="moderation")
    assert "Confidentiel." in notification.summary
    services.report_restore(moderator=administrator, report=report)
    assert PostPage.objects.get(pk=post.pk).hidden_at is None


def test_a_comment_on_a_post_is_for_administrators(employee, manager, administrator, post):
    from interactions.services import comment_create

    comment = comment_create(author=manager, target=post, body="Un commentaire")
    report = _report(employee, comment, kind=ContentKind.COMMENT)
    assert report.kind == "comment"
    assert list(selectors.moderation_queue(manager)) == []
    services.report_hide(moderator=administrator, report=report, note="Hors sujet.")
    comment.refresh_from_db()
    assert comment.hidden_at is not None


def test_republishing_does_not_unhide_a_moderated_post(employee, colleague, administrator, post):
    """Wagtail rebuilds the page from a revision when publishing: the moderation decision must
    survive the author publishing again."""
    from blogs import services as blog_services
    from blogs.models import PostPage

    report = _report(employee, post, kind=ContentKind.POST)
    services.report_hide(moderator=administrator, report=report, note="Non.")
    blog_services.post_publish(actor=colleague, post=PostPage.objects.get(pk=post.pk))
    assert PostPage.objects.get(pk=post.pk).hidden_at is not None
    services.report_restore(moderator=administrator, report=report)
    blog_services.post_publish(actor=colleague, post=PostPage.objects.get(pk=post.pk))
    assert PostPage.objects.get(pk=post.pk).hidden_at is None
