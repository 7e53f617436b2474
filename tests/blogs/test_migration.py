"""Migration 0004: a post hidden by the old boolean keeps who hid it, when and why."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.utils import timezone

from governance.models import Report, ReportReason, ReportStatus
from governance.services import audit_record

pytestmark = pytest.mark.django_db

migration = importlib.import_module("blogs.migrations.0004_post_moderated")


def _decision(post_id: int):
    with connection.cursor() as cursor:
        return migration._decision(cursor, post_id)


def test_the_latest_audit_entry_says_who_hid_a_post_and_why(administrator, employee, post):
    audit_record(actor=employee, action="post.hidden", target=post, after={"reason": "Ancien"})
    audit_record(
        actor=administrator, action="post.hidden", target=post, after={"reason": "Hors charte"}
    )
    when, actor_id, reason = _decision(post.pk)
    assert migration._aware(when) is not None
    assert (actor_id, reason) == (administrator.pk, "Hors charte")


def test_else_the_report_decided_hidden_says_it(administrator, colleague, post):
    Report.objects.create(
        reporter=colleague,
        kind="post",
        object_id=post.pk,
        reason=ReportReason.OTHER,
        details="…",
        status=ReportStatus.HIDDEN,
        decided_by=administrator,
        decided_at=timezone.now(),
        decision_note="Propos blessants",
    )
    when, actor_id, reason = _decision(post.pk)
    assert migration._aware(when) is not None
    assert (actor_id, reason) == (administrator.pk, "Propos blessants")


def test_else_nothing_is_known(post):
    assert _decision(post.pk) == (None, None, "")
