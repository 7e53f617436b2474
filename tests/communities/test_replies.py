"""Replies (interactions comments on threads), answers, announcements and join requests."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activity.models import ParticipationEvent
from communities import services
from communities.models import MembershipState, ThreadKind
from interactions import services as interactions
from interactions.models import Comment
from notifications.models import Notification
from tests.communities.factories import MembershipFactory, ThreadFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(open_community, employee):
    return ThreadFactory(
        community=open_community, author=employee, kind=ThreadKind.QUESTION, title="Retours ?"
    )


def _reply(author, thread, text="Le service client s'en charge.", parent=None):
    return interactions.comment_create(author=author, target=thread, body=text, parent=parent)


def test_a_members_reply_counts_and_records_a_replied_event(
    question, colleague, open_community, django_capture_on_commit_callbacks
):
    MembershipFactory(community=open_community, user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        reply = _reply(colleague, question)
    question.refresh_from_db()
    assert question.reply_count == 1
    assert question.last_activity_at >= reply.created_at
    assert ParticipationEvent.objects.filter(
        actor=colleague, verb="replied", community_id=open_community.pk
    ).exists()


def test_non_members_cannot_reply(question, outsider):
    with pytest.raises((PermissionDenied, ValidationError)):
        _reply(outsider, question)
    assert not Comment.objects.exists()


def test_a_reply_to_a_locked_thread_is_refused_with_its_text_kept(
    client, question, employee, manager
):
    services.thread_lock(actor=manager, thread=question, locked=True)
    client.force_login(employee)
    url = reverse("interactions:comment_create", args=["thread", question.pk])
    response = client.post(url, {"body": "Ma réponse longuement rédigée"}, follow=True)
    assert not Comment.objects.exists()
    page = response.content.decode()
    assert "This thread is locked" in page
    assert "Ma réponse longuement rédigée" in page


def test_accepting_an_answer_notifies_its_author_and_shows_it_first(
    client, question, employee, colleague, manager, open_community
):
    MembershipFactory(community=open_community, user=colleague)
    first = _reply(manager, question, "Je ne sais pas.")
    answer = _reply(colleague, question, "C'est la logistique.")
    services.thread_accept_answer(actor=employee, thread=question, reply_id=answer.pk)
    question.refresh_from_db()
    assert question.accepted_reply_id == answer.pk and question.answered_at is not None
    assert Notification.objects.filter(recipient=colleague, kind="answer_accepted").exists()
    assert not Notification.objects.filter(recipient=employee, kind="answer_accepted").exists()

    client.force_login(employee)
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'data-testid="accepted-answer"' in page
    assert page.index(f'id="comment-{answer.pk}"') < page.index(f'id="comment-{first.pk}"')


def test_only_the_asker_or_a_manager_accepts_and_only_a_reply_of_this_thread(
    question, colleague, open_community, employee
):
    MembershipFactory(community=open_community, user=colleague)
    answer = _reply(colleague, question)
    with pytest.raises(PermissionDenied):
        services.thread_accept_answer(actor=colleague, thread=question, reply_id=answer.pk)
    elsewhere = ThreadFactory(community=open_community, author=employee, kind=ThreadKind.QUESTION)
    with pytest.raises(services.CommunityError):
        services.thread_accept_answer(actor=employee, thread=elsewhere, reply_id=answer.pk)


def test_announcements_notify_members_only(manager, private_community, employee, outsider):
    services.thread_create(
        actor=manager,
        community=private_community,
        kind=ThreadKind.ANNOUNCEMENT,
        title="Nouvelle charte",
        body="Lisez-la.",
    )
    assert set(Notification.objects.values_list("recipient__username", "kind")) == {
        (employee.username, "announcement")
    }


def test_join_requests_notify_the_managers(request_community, manager, outsider, employee):
    services.community_request(actor=outsider, community=request_community)
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (manager.pk, "join_request")
    ]


def test_a_removed_member_no_longer_sees_notifications_of_a_private_thread(
    private_community, manager, employee
):
    from notifications.selectors import targets_visible_to

    thread = services.thread_create(
        actor=manager,
        community=private_community,
        kind=ThreadKind.ANNOUNCEMENT,
        title="Confidential",
        body="x",
    )
    notification = Notification.objects.get(recipient=employee)
    assert targets_visible_to(employee, [notification])
    membership = private_community.memberships.get(user=employee)
    services.member_remove(actor=manager, membership=membership)
    assert not targets_visible_to(employee, [notification])
    assert thread.pk


@pytest.mark.parametrize("count", [2, 30])
def test_thread_page_queries_do_not_grow_with_replies(
    client, question, open_community, django_assert_max_num_queries, count
):
    people = [UserFactory() for _ in range(3)]
    for person in people:
        MembershipFactory(community=open_community, user=person)
    top = None
    for n in range(count):
        comment = _reply(people[n % 3], question, f"Réponse {n}", parent=top if n % 2 else None)
        top = top or comment
    reader = people[0]
    client.force_login(reader)
    client.get(question.get_absolute_url())  # warm caches (view dedup, content types)
    with django_assert_max_num_queries(16):
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert "Réponse 1" in response.content.decode()


def test_membership_lifecycle(request_community, manager, outsider, employee):
    membership = services.community_request(actor=outsider, community=request_community)
    assert membership.state == MembershipState.REQUESTED
    services.membership_approve(actor=manager, membership=membership)
    membership.refresh_from_db()
    assert membership.state == MembershipState.ACTIVE and membership.decided_by == manager
    assert ParticipationEvent.objects.filter(actor=outsider, verb="joined").exists()
    promoted = services.member_set_role(actor=manager, membership=membership, role="manager")
    assert promoted.role == "manager"
    # The last manager cannot leave others without a manager.
    services.member_set_role(actor=manager, membership=membership, role="member")
    with pytest.raises(services.CommunityError):
        services.community_leave(actor=manager, community=request_community)
    with pytest.raises(PermissionDenied):
        services.member_remove(actor=employee, membership=membership)


def test_invitation_to_a_private_community(private_community, manager, outsider):
    services.community_invite(actor=manager, community=private_community, user=outsider)
    assert Notification.objects.filter(recipient=outsider, kind="membership").exists()
    services.community_join(actor=outsider, community=private_community)
    assert private_community.memberships.get(user=outsider).state == MembershipState.ACTIVE
    with pytest.raises(services.CommunityError):
        services.community_invite(actor=manager, community=private_community, user=outsider)


def test_mentions_in_a_thread_notify_only_people_who_can_see_it(
    private_community, employee, outsider, manager
):
    services.thread_create(
        actor=employee,
        community=private_community,
        kind=ThreadKind.DISCUSSION,
        title="Avis",
        body=f"@{manager.username} et @{outsider.username}, qu'en pensez-vous ?",
    )
    assert list(Notification.objects.values_list("recipient", "kind")) == [(manager.pk, "mention")]


def test_one_person_notifications_speak_their_language(
    question, colleague, open_community, employee
):
    colleague.preferred_language = "fr"
    colleague.save()
    MembershipFactory(community=open_community, user=colleague)
    answer = _reply(colleague, question)
    services.thread_accept_answer(actor=employee, thread=question, reply_id=answer.pk)
    summary = Notification.objects.get(recipient=colleague, kind="answer_accepted").summary
    assert summary == "Votre réponse à « Retours ? » a été acceptée"


def test_the_asker_hears_of_an_answer_and_a_discussion_starter_of_a_reply(
    question, colleague, open_community, employee
):
    MembershipFactory(community=open_community, user=colleague)
    _reply(colleague, question)
    discussion = ThreadFactory(community=open_community, author=employee, title="Idées")
    _reply(colleague, discussion)
    kinds = set(Notification.objects.filter(recipient=employee).values_list("kind", flat=True))
    assert kinds == {"answer", "reply"}
