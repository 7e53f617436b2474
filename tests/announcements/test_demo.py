"""The demo's announcements are made through the services: pinned for the demo log-ins,
acknowledged by part of the company, one scheduled; a second run adds nothing."""

from __future__ import annotations

import io
import random

import pytest

from announcements import demo
from announcements.models import Announcement, Receipt
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.factories import AdminFactory, DepartmentFactory, ExecutiveFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_announcements(client):
    service = DepartmentFactory(slug="service-client", name="Service client")
    operations = DepartmentFactory(slug="operations", name="Opérations")
    AdminFactory(username="admin")
    ExecutiveFactory(username="camille.martin")
    ExecutiveFactory(username="julien.moreau")
    officer = UserFactory(username="sophie.laurent")
    thomas = UserFactory(username="thomas.bernard", department=service)
    people = [UserFactory(department=service if i % 2 else operations) for i in range(12)]
    quality = CommunityFactory(slug="qualite-satisfaction")
    for person in [thomas, *people[:6]]:
        MembershipFactory(community=quality, user=person)

    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    officer.refresh_from_db()
    assert officer.is_communications
    assert Announcement.objects.count() == len(demo.ANNOUNCEMENTS)
    assert Announcement.objects.filter(published_at__isnull=True).count() == 1
    assert Receipt.objects.filter(acknowledged_at__isnull=False).exists()
    assert not Receipt.objects.filter(user=thomas, acknowledged_at__isnull=False).exists()
    client.force_login(thomas)
    page = client.get("/").content.decode()
    assert "Nouvelle politique de télétravail" in page
    assert 'data-testid="pinned-announcement"' in page

    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    assert Announcement.objects.count() == len(demo.ANNOUNCEMENTS)
