"""Communities' kinds in the content registry (core.content): the platform layers see threads
and communities only through these answers, which must be communities' own rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import MembershipState, Role, Thread, ThreadKind
from core import content
from core.refusals import Refusal
from governance.services import content_hide
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_thread(private_community, manager):
    return ThreadFactory(community=private_community, author=manager, title="Budget 2027")


def test_threads_and_communities_are_registered_kinds(secret_thread, private_community):
    thread_kind = content.kind_for(secret_thread)
    assert thread_kind.key == "thread" and thread_kind.comment_kind == "reply"
    assert content.kind_for(private_community).key == "community"
    assert content.conversation_of(secret_thread) == ("thread", secret_thread.pk)
    assert thread_kind.excerpt(secret_thread) == "Budget 2027"
    assert thread_kind.url(secret_thread) == secret_thread.get_absolute_url()
    assert thread_kind.community_id(secret_thread) == private_community.pk
    assert thread_kind.author(secret_thread) == secret_thread.author
    assert thread_kind.feed_source in content.feed_sources()
    assert thread_kind.rights_source in content.rights_sources()


def test_load_by_id_and_nothing_for_an_unknown_one(secret_thread):
    found = content.load("thread", str(secret_thread.pk))
    assert found is not None and found[1] == secret_thread
    assert content.load("thread", secret_thread.pk + 1000) is None
    assert content.load("thread", "abc") is None
    assert content.load("community", secret_thread.community_id)[1] == secret_thread.community


def test_a_private_community_and_its_threads_are_invisible_to_non_members(
    secret_thread, private_community, employee, outsider, administrator
):
    _, loaded = content.load("thread", secret_thread.pk)
    for person, sees in ((employee, True), (administrator, True), (outsider, False)):
        assert content.visible_to(person, loaded) is sees
        assert content.visible_to(person, private_community) is sees
    invited = UserFactory()
    MembershipFactory(community=private_community, user=invited, state=MembershipState.INVITED)
    # An invitee sees the community (to accept) but not its threads.
    assert content.visible_to(invited, private_community)
    assert not content.visible_to(invited, loaded)


def test_who_may_moderate_a_thread(open_community, employee, manager, administrator, outsider):
    thread = ThreadFactory(community=open_community, author=employee)
    kind = content.kind("thread")
    assert kind.can_moderate(manager, thread) and kind.can_moderate(administrator, thread)
    assert not kind.can_moderate(employee, thread)  # its author, a member
    assert not kind.can_moderate(outsider, thread)
    # A manager of another community moderates nothing here.
    elsewhere = CommunityFactory()
    MembershipFactory(community=elsewhere, user=outsider, role=Role.MANAGER)
    assert not kind.can_moderate(outsider, thread)


def test_a_hidden_thread_is_visible_to_its_author_and_managers_only(
    open_community, employee, manager, colleague
):
    MembershipFactory(community=open_community, user=colleague)
    thread = ThreadFactory(community=open_community, author=employee)
    content_hide(actor=manager, obj=thread, reason="Hors charte")
    thread = Thread.objects.get(pk=thread.pk)
    assert content.kind("thread").is_hidden(thread)
    assert thread.hidden_reason == "Hors charte"
    assert content.visible_to(employee, thread) and content.visible_to(manager, thread)
    assert not content.visible_to(colleague, thread)


def test_a_community_cannot_be_hidden(open_community, administrator):
    kind = content.kind("community")
    assert kind.hide is None and not kind.is_hidden(open_community)
    with pytest.raises(Refusal):
        content_hide(actor=administrator, obj=open_community, reason="Non")


def test_announcements_in_the_calendar_only_where_the_reader_may_read(
    open_community, private_community, manager, employee, outsider
):
    kind = content.kind("thread")
    now = timezone.now()
    public = ThreadFactory(
        community=open_community, author=manager, kind=ThreadKind.ANNOUNCEMENT, title="Public"
    )
    ThreadFactory(
        community=private_community, author=manager, kind=ThreadKind.ANNOUNCEMENT, title="Secret"
    )
    ThreadFactory(community=open_community, author=manager, title="Just a discussion")
    ThreadFactory(
        community=open_community,
        author=manager,
        kind=ThreadKind.ANNOUNCEMENT,
        title="Last year",
        created_at=now - timedelta(days=400),
    )
    today = timezone.localdate()
    start, end = today - timedelta(days=1), today + timedelta(days=1)
    titles = lambda person: [e.title for e in kind.calendar_entries(person, start, end)]  # noqa: E731
    assert sorted(titles(employee)) == ["Public", "Secret"]
    assert titles(outsider) == ["Public"]
    entry = next(e for e in kind.calendar_entries(outsider, start, end))
    assert entry.place == f"community:{open_community.pk}"
    assert entry.place_label == open_community.name
    assert entry.url == public.get_absolute_url() and entry.author == manager
    assert entry.kind == "announcement" and not entry.scheduled
    assert kind.calendar_places(outsider) == [
        (f"community:{open_community.pk}", open_community.name)
    ]
    assert (f"community:{private_community.pk}", private_community.name) in kind.calendar_places(
        employee
    )


def test_the_community_directory(open_community, private_community, manager, employee, outsider):
    directory = content.communities()
    assert directory.names([private_community.pk]) == {private_community.pk: "Secret-Council"}
    assert set(directory.all_ids()) == {open_community.pk, private_community.pk}
    assert sorted(directory.managed_by(manager)) == sorted(
        [open_community.pk, private_community.pk]
    )
    assert directory.managed_by(employee) == []
    assert directory.visible_to(outsider) == [(open_community.pk, open_community.name)]
    assert [pk for pk, _ in directory.visible_to(employee)] == [
        open_community.pk,
        private_community.pk,
    ]
