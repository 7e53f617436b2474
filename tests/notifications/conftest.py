"""Notification tests use a department as the target of notifications: a real model of the
project with a title, standing in for a post or a thread (which implement the same contract).
"""

from __future__ import annotations

import pytest
from django.db import transaction

from notifications.services import notify
from tests.factories import DepartmentFactory


@pytest.fixture
def target(db):
    return DepartmentFactory(name="Roadmap 2027", slug="roadmap-2027")


@pytest.fixture
def other_target(db):
    return DepartmentFactory(name="Offsite in Lyon", slug="offsite-lyon")


@pytest.fixture
def notify_committed(django_capture_on_commit_callbacks):
    """Call `notify` in a transaction, as a service would, and run its on-commit work."""

    def call(**kwargs):
        kwargs.setdefault("url", "/somewhere/#comment-1")
        kwargs.setdefault("summary", "Looks good to me")
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return notify(**kwargs)

    return call
