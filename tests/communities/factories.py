"""Factories of communities, memberships and threads (written straight to the database: the
services are tested on their own, and most tests need a community in a given state)."""

from __future__ import annotations

import factory
from django.utils import timezone

from communities.models import AccessMode, Community, Membership, MembershipState, Role, Thread
from tests.factories import UserFactory


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    description = "People who meet across departments."
    access = AccessMode.OPEN
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER
    state = MembershipState.ACTIVE
    created_at = factory.LazyFunction(timezone.now)


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    community = factory.SubFactory(CommunityFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Thread {n}")
    body = "How do we coordinate with the customer service?"
    body_html = "<p>How do we coordinate with the customer service?</p>"
    created_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyFunction(timezone.now)
