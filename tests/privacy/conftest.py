"""A person with something of everything: a blog post, a thread, comments and a reply, a
reaction, a follow, a membership, notifications; and colleagues who answered them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from blogs import services as blog_services
from communities import services as community_services
from communities.models import AccessMode, Role
from interactions import services as interaction_services
from tests.communities.factories import CommunityFactory, MembershipFactory


@pytest.fixture
def world(employee, colleague):
    community = CommunityFactory(access=AccessMode.OPEN, slug="open-club", created_by=colleague)
    MembershipFactory(community=community, user=colleague, role=Role.MANAGER)
    community_services.community_join(actor=employee, community=community)
    post = blog_services.post_create(
        actor=employee,
        title="Adopter les médias sociaux",
        body="Un billet de Claire.",
        publish=True,
    )
    other_post = blog_services.post_create(
        actor=colleague, title="Le billet de Marc", body="Bonjour à tous.", publish=True
    )
    thread = community_services.thread_create(
        actor=employee,
        community=community,
        kind="discussion",
        title="Un fil de Claire",
        body="Comment travailler avec le service client ?",
    )
    colleague_comment = interaction_services.comment_create(
        author=colleague, target=post, body="Merci Claire !"
    )
    own_reply = interaction_services.comment_create(
        author=employee, target=post, body="Avec plaisir, Marc.", parent=colleague_comment
    )
    own_comment = interaction_services.comment_create(
        author=employee, target=other_post, body="Un commentaire de Claire."
    )
    colleague_reply = interaction_services.comment_create(
        author=colleague, target=thread, body="Une réponse de Marc."
    )
    interaction_services.reaction_toggle(user=employee, target=other_post, kind="like")
    blog_services.follow_create(actor=employee, person=colleague)
    return SimpleNamespace(
        person=employee,
        colleague=colleague,
        community=community,
        post=post,
        other_post=other_post,
        thread=thread,
        colleague_comment=colleague_comment,
        own_reply=own_reply,
        own_comment=own_comment,
        colleague_reply=colleague_reply,
    )
