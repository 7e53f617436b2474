"""Personal tokens (feed and calendar) are hashed at rest: the database holds the SHA-256 of
each secret, a request's secret is looked up by its digest, and the data migration turned the
secrets stored in plain text into digests without breaking the addresses already in use."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from blogs.models import FeedToken
from console.models import CalendarToken
from people import services
from people.models import token_digest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [FeedToken, CalendarToken])
def test_the_secret_is_not_stored_only_its_digest(model, employee):
    token, secret = services.personal_token_regenerate(model=model, user=employee)
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = model.objects.filter(pk=token.pk).values()[0]
    assert secret not in {str(value) for value in stored.values()}
    assert model.owner_of(secret) == employee
    assert model.owner_of(token.token_hash) is None  # the digest is not a secret that works
    assert model.owner_of("") is None
    assert model.owner_of("\x00" + secret) is None  # never reaches the database as text
    assert model.owner_of("x" * 65) is None


@pytest.mark.parametrize("model", [FeedToken, CalendarToken])
def test_regenerating_revokes_and_finding_creates_nothing(model, employee):
    assert services.personal_token_of(model=model, user=employee) is None
    assert not model.objects.exists()
    token, first = services.personal_token_regenerate(model=model, user=employee)
    again, second = services.personal_token_regenerate(model=model, user=employee)
    assert again.pk == token.pk and first != second
    assert model.owner_of(first) is None and model.owner_of(second) == employee


BEFORE = [("blogs", "0004_post_moderated"), ("console", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_addresses_made_before_hashing_keep_working(employee, colleague):
    """Tokens stored in plain text before the migration: the migration keeps their digest only,
    and the feed and calendar addresses already pasted into readers still answer."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        old.get_model("blogs", "FeedToken").objects.create(user_id=employee.pk, token="feed-a")
        old.get_model("blogs", "FeedToken").objects.create(user_id=colleague.pk, token="feed-b")
        old.get_model("console", "CalendarToken").objects.create(user_id=employee.pk, token="cal-a")
        _migrate(latest)
        assert FeedToken.owner_of("feed-a") == employee
        assert FeedToken.owner_of("feed-b") == colleague
        assert CalendarToken.owner_of("cal-a") == employee
        assert set(FeedToken.objects.values_list("token_hash", flat=True)) == {
            token_digest("feed-a"),
            token_digest("feed-b"),
        }
        anonymous = Client()
        assert anonymous.get(reverse("blogs:feed_all"), {"token": "feed-a"}).status_code == 200
        calendar = reverse("governance:calendar_feed", args=["cal-a"])
        assert anonymous.get(calendar).status_code == 200
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
