"""Fixtures for the blog tests: a small page tree built through the services."""

from __future__ import annotations

import pytest

from blogs import services
from tests.factories import UserFactory


@pytest.fixture
def blog(employee):
    return services.blog_ensure(actor=employee)


@pytest.fixture
def post(employee, blog):
    return services.post_create(
        actor=employee,
        title="Adopter les médias sociaux",
        body="Ce sont des changements de comportement qui sont nécessaires.",
        tags=["transformation"],
        publish=True,
    )


@pytest.fixture
def colleague_post(colleague):
    return services.post_create(
        actor=colleague, title="Le billet de Marc", body="Bonjour à tous.", publish=True
    )


@pytest.fixture
def delegate(db, executive):
    person = UserFactory(username="paul.delegate", first_name="Paul", last_name="Durand")
    services.delegation_grant(actor=executive, executive=executive, delegate=person)
    return person


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
