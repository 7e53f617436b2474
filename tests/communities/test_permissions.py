"""The rules of communities, in one module used by views, consumers and tasks."""

from __future__ import annotations

import pytest
from django.http import Http404

from communities import permissions as p
from communities.models import MembershipState, ThreadKind
from tests.communities.factories import MembershipFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_private_community_exists_only_for_members_invitees_and_administrators(
    private_community, employee, outsider, manager, administrator
):
    assert p.can_view_community(employee, private_community)
    assert p.can_view_community(manager, private_community)
    assert p.can_view_community(administrator, private_community)
    assert not p.can_view_community(outsider, private_community)
    with pytest.raises(Http404):
        p.access_community(outsider, private_community.slug)
    MembershipFactory(community=private_community, user=outsider, state=MembershipState.INVITED)
    private_community._membership_cache = None
    # Invited: sees the community (to accept), reads nothing yet.
    assert p.can_view_community(outsider, private_community)
    assert not p.can_read_community(outsider, private_community)
    assert p.can_join_community(outsider, private_community)


def test_requesting_does_not_open_a_private_community(private_community, outsider):
    MembershipFactory(community=private_community, user=outsider, state=MembershipState.REQUESTED)
    assert not p.can_view_community(outsider, private_community)


def test_open_and_request_communities_are_readable_by_everyone(
    open_community, request_community, outsider
):
    assert p.can_read_community(outsider, open_community)
    assert p.can_read_community(outsider, request_community)
    assert p.can_join_community(outsider, open_community)
    assert not p.can_join_community(outsider, request_community)
    assert p.can_request_community(outsider, request_community)
    assert not p.can_request_community(outsider, open_community)


def test_only_members_write_and_only_managers_announce(open_community, employee, outsider, manager):
    assert p.can_start_thread(employee, open_community, ThreadKind.QUESTION)
    assert not p.can_start_thread(employee, open_community, ThreadKind.ANNOUNCEMENT)
    assert p.can_start_thread(manager, open_community, ThreadKind.ANNOUNCEMENT)
    assert not p.can_start_thread(outsider, open_community, ThreadKind.DISCUSSION)


def test_anonymous_and_inactive_people_can_do_nothing(open_community, employee):
    from django.contrib.auth.models import AnonymousUser

    assert not p.can_view_community(AnonymousUser(), open_community)
    employee.is_active = False
    assert not p.can_read_community(employee, open_community)
    assert not p.can_start_thread(employee, open_community, ThreadKind.DISCUSSION)


def test_reply_refusals_say_why(open_community, employee, outsider, manager):
    from django.utils import translation

    thread = ThreadFactory(community=open_community, author=employee)
    assert p.reply_refusal_reason(employee, thread) is None
    with translation.override("en"):
        assert "Join" in str(p.reply_refusal_reason(outsider, thread))
        thread.locked = True
        assert "locked" in str(p.reply_refusal_reason(employee, thread))
    assert not p.can_reply_thread(manager, thread)


def test_hidden_thread_is_seen_by_author_and_managers_only(
    open_community, employee, manager, colleague
):
    from django.utils import timezone

    thread = ThreadFactory(community=open_community, author=employee, hidden_at=timezone.now())
    assert p.can_view_thread(employee, thread)
    assert p.can_view_thread(manager, thread)
    assert not p.can_view_thread(colleague, thread)
    assert not p.can_edit_thread(employee, thread)  # hidden: the author may no longer edit
    with pytest.raises(Http404):
        p.access_thread(colleague, thread.pk)


def test_moderation_and_answers(open_community, employee, manager, colleague):
    MembershipFactory(community=open_community, user=colleague)
    question = ThreadFactory(community=open_community, author=employee, kind=ThreadKind.QUESTION)
    discussion = ThreadFactory(community=open_community, author=employee)
    assert p.can_accept_answer(employee, question)
    assert p.can_accept_answer(manager, question)
    assert not p.can_accept_answer(colleague, question)
    assert not p.can_accept_answer(employee, discussion)
    assert p.can_moderate_thread(manager, question)
    assert not p.can_moderate_thread(employee, question)
    assert p.can_delete_thread(employee, question)
    assert not p.can_delete_thread(manager, question)  # managers hide, they do not delete


def test_thread_of_a_private_community_is_404_for_outsiders(private_community, employee, outsider):
    thread = ThreadFactory(community=private_community, author=employee)
    assert p.access_thread(employee, thread.pk) == thread
    with pytest.raises(Http404):
        p.access_thread(outsider, thread.pk)
    with pytest.raises(Http404):  # right id, wrong community slug
        p.access_thread(employee, thread.pk, slug="another")
    assert p.thread_for_socket(outsider, thread.pk) is None
    assert p.community_for_socket(outsider, private_community.pk) is None
