"""The event log is append-only through every path: the model, its querysets and, for raw SQL,
a database trigger; the one exception is `activity.retention` (retention/erasure)."""

from __future__ import annotations

import pytest
from django.core.management import call_command, get_commands
from django.db import DatabaseError, connection, transaction

from activity.models import AppendOnlyError, ParticipationEvent, Verb
from activity.retention import allow_erasure, events_erase
from activity.services import event_record

pytestmark = pytest.mark.django_db

TABLE = ParticipationEvent._meta.db_table


def raw(sql: str, params: list | None = None) -> int:
    """Run raw SQL in a savepoint of its own (a refused statement aborts it, not the test)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def count(pk: int) -> int:
    return ParticipationEvent.objects.filter(pk=pk).count()


def test_an_event_cannot_be_saved_again_or_deleted(employee):
    recorded = event_record(actor=employee, verb=Verb.POSTED)
    recorded.verb = Verb.VIEWED
    with pytest.raises(AppendOnlyError):
        recorded.save()
    with pytest.raises(AppendOnlyError):
        recorded.delete()
    fresh = ParticipationEvent.objects.get(pk=recorded.pk)
    with pytest.raises(AppendOnlyError):
        fresh.save(update_fields=["verb"])
    assert fresh.verb == Verb.POSTED


def test_querysets_cannot_update_or_delete(employee):
    recorded = event_record(actor=employee, verb=Verb.POSTED)
    events = ParticipationEvent.objects.filter(pk=recorded.pk)
    with pytest.raises(AppendOnlyError):
        events.update(verb=Verb.VIEWED)
    with pytest.raises(AppendOnlyError):
        events.delete()
    with pytest.raises(AppendOnlyError):
        ParticipationEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        ParticipationEvent.objects.update(object_id=2)
    with pytest.raises(AppendOnlyError):
        employee.participation_events.all().delete()
    assert ParticipationEvent.objects.get(pk=recorded.pk).verb == Verb.POSTED


def test_new_events_are_still_written_one_by_one_and_in_bulk(employee):
    event_record(actor=employee, verb=Verb.POSTED)
    first = ParticipationEvent.objects.get()
    ParticipationEvent.objects.bulk_create(
        [
            ParticipationEvent(
                actor=employee,
                verb=Verb.REACTED,
                occurred_at=first.occurred_at,
                occurred_on=first.occurred_on,
            )
        ]
    )
    assert ParticipationEvent.objects.count() == 2
    assert ParticipationEvent.objects.filter(verb=Verb.REACTED).get().conversation_type == ""


def test_the_database_refuses_raw_updates_and_deletes(employee):
    recorded = event_record(actor=employee, verb=Verb.POSTED)
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"UPDATE {TABLE} SET verb = 'viewed' WHERE id = %s", [recorded.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [recorded.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {TABLE}")
    assert ParticipationEvent.objects.get(pk=recorded.pk).verb == Verb.POSTED


def test_erasure_deletes_the_events_it_is_given_and_only_those(employee, executive):
    erased = event_record(actor=employee, verb=Verb.POSTED)
    event_record(actor=employee, verb=Verb.REACTED)
    kept = event_record(actor=executive, verb=Verb.POSTED)
    assert events_erase(ParticipationEvent.objects.filter(actor=employee)) == 2
    assert (count(erased.pk), count(kept.pk)) == (0, 1)


def test_erasure_permission_ends_with_its_block_even_inside_a_longer_transaction(employee):
    first = event_record(actor=employee, verb=Verb.POSTED)
    second = event_record(actor=employee, verb=Verb.REACTED)
    with transaction.atomic():
        with allow_erasure():
            assert raw(f"DELETE FROM {TABLE} WHERE id = %s", [first.pk]) == 1
            # Erasure deletes: it never rewrites an event.
            with pytest.raises(DatabaseError, match="append-only"):
                raw(f"UPDATE {TABLE} SET verb = 'viewed' WHERE id = %s", [second.pk])
            # Nor does it open the model's own paths.
            with pytest.raises(AppendOnlyError):
                ParticipationEvent.objects.filter(pk=second.pk).delete()
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"DELETE FROM {TABLE} WHERE id = %s", [second.pk])
    assert (count(first.pk), count(second.pk)) == (0, 1)


def test_a_failed_erasure_leaves_the_permission_closed(employee):
    recorded = event_record(actor=employee, verb=Verb.POSTED)
    with transaction.atomic():
        with pytest.raises(RuntimeError), allow_erasure():
            raise RuntimeError("the job failed")
        with pytest.raises(DatabaseError, match="append-only"):
            raw(f"DELETE FROM {TABLE} WHERE id = %s", [recorded.pk])
    assert count(recorded.pk) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's setting")
def test_on_postgresql_the_permission_is_the_transaction_local_setting(employee):
    """What a job outside Django (psql, a script) would do: SET LOCAL in its transaction."""
    recorded = event_record(actor=employee, verb=Verb.POSTED)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ruche.erasure = 'on'")
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [recorded.pk])
        assert cursor.rowcount == 1
        cursor.execute("SET LOCAL ruche.erasure = 'off'")
    assert count(recorded.pk) == 0


def test_flush_is_the_activity_apps_own():
    assert get_commands()["flush"] == "activity"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_on_every_database(employee):
    """Test teardown flushes: a TRUNCATE on PostgreSQL, a DELETE on SQLite (under erasure)."""
    event_record(actor=employee, verb=Verb.POSTED)
    call_command("flush", interactive=False, verbosity=0)
    assert not ParticipationEvent.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's TRUNCATE")
def test_on_postgresql_truncate_is_refused_outside_erasure(employee):
    event_record(actor=employee, verb=Verb.POSTED)
    # Check the deferred foreign keys now: PostgreSQL truncates no table with pending checks.
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"TRUNCATE {TABLE}")
    with pytest.raises(DatabaseError, match="append-only"):
        raw("TRUNCATE people_user CASCADE")
    assert ParticipationEvent.objects.count() == 1
    with allow_erasure():
        raw(f"TRUNCATE {TABLE}")
    assert not ParticipationEvent.objects.exists()
