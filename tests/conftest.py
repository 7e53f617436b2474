"""Shared fixtures. Tests run against the services the environment names: PostgreSQL and Redis
when DATABASE_URL and REDIS_URL are set (CI), SQLite and in-memory layers otherwise.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import TransactionTestCase

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


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return "transactional_db" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config, items: list[pytest.Item]) -> None:
    for item in items:
        # A transactional test flushes every table, including what migrations created (the
        # Wagtail page tree, the home page, groups). Serialized rollback puts that back before
        # the next one, and keeps the flush from re-creating content types with new ids.
        if _is_transactional(item) and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")
    # Browser tests last: Playwright keeps an event loop running in the main thread until the
    # session ends, which asyncio tests that come after it could not start theirs beside.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


# Django's snapshot of the migrated test database, taken once at set-up (see below).
_MIGRATED_SNAPSHOT: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the snapshot Django takes of the freshly migrated database for serialized rollback."""
    from django.db import connections

    for alias in connections:
        snapshot = getattr(connections[alias], "_test_serialized_contents", None)
        if snapshot:
            _MIGRATED_SNAPSHOT[alias] = snapshot
    return django_db_setup


def _attach_migrated_snapshot(databases) -> None:
    """Async tests leave the main thread with new connection objects (Django keeps them per
    thread and context) which lack the snapshot. Without it, a transactional test's flush lets
    post_migrate re-create content types with new ids, and the next restore collides with them.
    """
    from django.db import connections

    for alias in databases:
        if alias in _MIGRATED_SNAPSHOT and not hasattr(
            connections[alias], "_test_serialized_contents"
        ):
            connections[alias]._test_serialized_contents = _MIGRATED_SNAPSHOT[alias]


def _with_migrated_snapshot(method):
    """Wrap a TransactionTestCase set-up or tear-down (class or instance method)."""

    def wrapper(self_or_cls):
        _attach_migrated_snapshot(self_or_cls._databases_names(include_mirrors=False))
        return method(self_or_cls)

    return wrapper


def _reset_sequences(databases) -> None:
    """The restore brings rows back with their ids: move each sequence past them, as loaddata
    does, so that new rows do not get those ids again."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connections

    for alias in databases:
        connection = connections[alias]
        statements = connection.ops.sequence_reset_sql(
            no_style(), apps.get_models(include_auto_created=True)
        )
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def _empty_before_restore(method):
    """Before a serialized restore, empty the tables again: the live server thread may have
    written between the previous test's flush and now (a closing websocket, a content type
    looked up), and the restore would collide with those rows."""

    def wrapper(cls):
        if getattr(cls, "serialized_rollback", False):
            from django.core.management import call_command

            for alias in cls._databases_names(include_mirrors=False):
                if alias in _MIGRATED_SNAPSHOT:
                    call_command(
                        "flush",
                        verbosity=0,
                        interactive=False,
                        database=alias,
                        inhibit_post_migrate=True,
                    )
        result = method(cls)
        if getattr(cls, "serialized_rollback", False):
            _reset_sequences(cls._databases_names(include_mirrors=False))
        return result

    return wrapper


TransactionTestCase._fixture_setup = classmethod(  # type: ignore[method-assign]
    _with_migrated_snapshot(_empty_before_restore(TransactionTestCase._fixture_setup.__func__))
)
TransactionTestCase._fixture_teardown = _with_migrated_snapshot(  # type: ignore[method-assign]
    TransactionTestCase._fixture_teardown
)


@pytest.fixture(autouse=True)
def _isolated_services(settings, tmp_path):
    """Each test starts with an empty cache, eager Celery tasks and its own media folder."""
    from channels.layers import channel_layers
    from django.core.cache import cache

    from ruche.celery import app

    cache.clear()
    # A fresh channel layer per test: channels_redis binds its locks and pools to the event
    # loop that first used them, and each async test runs in a loop of its own.
    channel_layers.backends.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _two_factor_rule(request, settings):
    """Administrators must use two-factor authentication (RUCHE_2FA_REQUIRED_FOR_ADMINS, on by
    default). The tests of other features sign administrators in with `force_login` and test
    that feature, not the second step: for them the rule is off, as an operator may set it.
    Tests marked `two_factor` (tests/people/test_two_factor.py, the browser journey) keep it
    on. Whoever has an authenticator is asked for a code either way: factories make none."""
    settings.RUCHE_2FA_REQUIRED_FOR_ADMINS = (
        request.node.get_closest_marker("two_factor") is not None
    )


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
