"""Events name their conversation when they are written, from the content registry: the
adapters of the content apps say what a thread, a reply or a reaction belongs to."""

from __future__ import annotations

import pytest

from activity.models import ParticipationEvent, Verb
from communities import services as communities
from communities.models import AccessMode, Role, ThreadKind
from interactions import services as interactions
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_thread_its_replies_and_reactions_share_the_threads_conversation(employee, colleague):
    community = CommunityFactory(access=AccessMode.OPEN, slug="club", created_by=employee)
    MembershipFactory(community=community, user=employee, role=Role.MANAGER)
    MembershipFactory(community=community, user=colleague)
    thread = communities.thread_create(
        actor=employee, community=community, kind=ThreadKind.DISCUSSION, title="Idées", body="?"
    )
    reply = interactions.comment_create(author=colleague, target=thread, body="Une idée.")
    interactions.reaction_toggle(user=employee, target=reply, kind="like")
    events = ParticipationEvent.objects.filter(
        verb__in=[Verb.STARTED_THREAD, Verb.REPLIED, Verb.REACTED]
    ).order_by("pk")
    assert [(e.verb, e.object_type, e.conversation) for e in events] == [
        (Verb.STARTED_THREAD, "communities.thread", ("thread", thread.pk)),
        (Verb.REPLIED, "interactions.comment", ("thread", thread.pk)),
        (Verb.REACTED, "interactions.comment", ("thread", thread.pk)),
    ]
