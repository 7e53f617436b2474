"""The console took over reports, calendar tokens and questionnaire responses with state-only
migrations: the tables keep their names and rows, the content types follow the models."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from console.models import CalendarToken, QuestionnaireResponse, Report

BEFORE = [("governance", "0003_audit_append_only_trigger"), ("console", None)]
MOVED = ["report", "calendartoken", "questionnaireresponse"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    nodes = [(app, name) for app, name in targets if name is not None]
    return executor.loader.project_state(nodes).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_tables_keep_their_names():
    assert Report._meta.db_table == "governance_report"
    assert CalendarToken._meta.db_table == "governance_calendartoken"
    assert QuestionnaireResponse._meta.db_table == "governance_questionnaireresponse"
    assert Report._meta.app_label == "console"


@pytest.mark.django_db(transaction=True)
def test_a_report_created_before_the_move_is_readable_after(employee, colleague):
    try:
        old = _migrate(BEFORE)
        # Before: the models belong to governance, their content types too.
        OldReport = old.get_model("governance", "Report")
        OldContentType = old.get_model("contenttypes", "ContentType")
        OldContentType.objects.filter(app_label="console", model__in=MOVED).delete()
        old_types = {
            model: OldContentType.objects.get_or_create(app_label="governance", model=model)[0].pk
            for model in MOVED
        }
        report = OldReport.objects.create(
            reporter_id=employee.pk, author_id=colleague.pk, kind="thread", object_id=7,
            reason="spam", excerpt="Un sujet", community_id=3,
        )  # fmt: skip
        new = _migrate(_latest())
        ContentType.objects.clear_cache()
        # After: the same row, read through the console's model; the same content types,
        # relabelled (so permissions and generic relations that point at them still do).
        moved = Report.objects.get(pk=report.pk)
        assert (moved.kind, moved.object_id, moved.excerpt, moved.community_id) == (
            "thread", 7, "Un sujet", 3,
        )  # fmt: skip
        assert moved.reporter == employee and moved.author == colleague
        assert new.get_model("console", "Report")._meta.db_table == "governance_report"
        with pytest.raises(LookupError):
            new.get_model("governance", "Report")
        for model in MOVED:
            relabelled = ContentType.objects.get(pk=old_types[model])
            assert (relabelled.app_label, relabelled.model) == ("console", model)
        assert ContentType.objects.get_for_model(Report).pk == old_types["report"]
    finally:
        _migrate(_latest())
