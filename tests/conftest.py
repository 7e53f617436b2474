"""Shared fixtures. Tests run against the services the environment names: PostgreSQL and Redis
when DATABASE_URL and REDIS_URL are set (CI), SQLite and in-memory layers otherwise.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from tests.factories import TEST_PASSWORD, AdminFactory, ExecutiveFactory, UserFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="needs a real Redis server: set REDIS_URL (CI always sets it)"
)


def pytest_report_header(config) -> list[str]:
    def last(dotted: str) -> str:
        return dotted.rsplit(".", 1)[-1]

    database = settings.DATABASES["default"]
    where = database.get("HOST") or database["NAME"]
    return [
        f"ruche database: {last(database['ENGINE'])} ({where})",
        f"ruche cache: {last(settings.CACHES['default']['BACKEND'])}",
        f"ruche channel layer: {last(settings.CHANNEL_LAYERS['default']['BACKEND'])}",
        f"ruche celery broker: {settings.CELERY_BROKER_URL.split('://')[0]}://",
    ]


@pytest.fixture(autouse=True)
def _isolated_services(settings, tmp_path):
    """Each test starts with an empty cache, eager Celery tasks and its own media folder."""
    from django.core.cache import cache

    from ruche.celery import app

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def employee(db):
    return UserFactory(username="claire.employee", first_name="Claire", last_name="Dubois")


@pytest.fixture
def colleague(db):
    return UserFactory(username="marc.colleague", first_name="Marc", last_name="Petit")


@pytest.fixture
def executive(db):
    return ExecutiveFactory(username="camille.ceo", first_name="Camille", last_name="Martin")


@pytest.fixture
def administrator(db):
    return AdminFactory(username="alex.admin", first_name="Alex", last_name="Admin")


@pytest.fixture
def employee_client(client, employee):
    client.force_login(employee)
    return client
