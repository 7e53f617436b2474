"""The one exception to the append-only event log: retention and erasure.

Nothing else in Ruche deletes participation events. The retention of reading history and the
erasure of a person (their events must go before their account, which the log protects) are
done here and only here::

    from activity.retention import events_erase

    events_erase(ParticipationEvent.objects.filter(occurred_on__lt=cutoff))

`events_erase` deletes inside `allow_erasure()`, which grants the permission the database
trigger checks (migration 0004) for the current transaction only:

- PostgreSQL: `SET LOCAL ruche.erasure = 'on'`; the triggers let a DELETE (or a TRUNCATE)
  through when `current_setting('ruche.erasure', true) = 'on'`. The setting ends with the
  transaction (and is switched off again when the block ends inside a longer one).
- SQLite: a flag on the connection, read by the function `ruche_erasure_allowed()` that
  `ActivityConfig.ready()` registers on every SQLite connection.

The other user of the exception is `manage.py flush` (activity's own command wraps Django's
in `allow_erasure()`): emptying the whole database empties the log too (a TRUNCATE on
PostgreSQL, a DELETE on SQLite). The test suite's teardown of transactional tests is a flush.

UPDATE has no exception: an event is never rewritten in place. The ORM paths (`save()` of
an existing event, `delete()`, queryset `update()`/`delete()`) stay closed even inside
`allow_erasure()`; only the functions of this module delete:

- `events_erase(queryset)`: delete the given events;
- `views_purge(before=day)`: the retention of reading history (per-person views older than
  `RUCHE_VIEW_RETENTION_DAYS`, run by the `privacy.tasks.purge_old_views` beat task); the
  rollups already computed from them stay;
- `events_pseudonymise(person_id, placeholder_id)`: the erasure of a person (`privacy`). Their
  events, and the events of others that name them (target, prepared by), are deleted and
  written again, in the same transaction, with the placeholder's id instead of theirs and
  every other column unchanged (department, community, day, conversation): the rollups of
  past days computed again from the log give the same figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from activity.models import ParticipationEvent, Verb

# The attribute of a SQLite connection wrapper that `ruche_erasure_allowed()` reads.
SQLITE_FLAG = "ruche_erasure"


@contextmanager
def allow_erasure(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let raw DELETEs of participation events through the trigger for this block (in one
    transaction, opened here if needed). For retention/erasure jobs only: use `events_erase`."""
    connection = connections[using]
    with transaction.atomic(using=using):
        _set(connection, on=True)
        try:
            yield
        finally:
            if not connection.needs_rollback:
                _set(connection, on=False)
            else:
                # The savepoint is rolled back, which reverts SET LOCAL; SQLite's flag is ours.
                setattr(connection, SQLITE_FLAG, False)


def _set(connection: BaseDatabaseWrapper, *, on: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('ruche.erasure', %s, true)", ["on" if on else "off"])
    setattr(connection, SQLITE_FLAG, on)


def events_erase(events: QuerySet[ParticipationEvent]) -> int:
    """Delete the given events (retention, erasure); returns how many. The only deletion of
    the log: raw SQL, since the model and its queryset refuse to delete."""
    using = events.db
    connection = connections[using]
    table = connection.ops.quote_name(ParticipationEvent._meta.db_table)
    ids, params = events.order_by().values("pk").query.sql_with_params()
    with allow_erasure(using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({ids})", params)  # noqa: S608
        erased: int = cursor.rowcount
        return erased


def views_purge(*, before: date) -> int:
    """Delete the per-person view events of the days before `before` (retention of reading
    history); returns how many. Rollups are not touched: the figures of those days stay."""
    return events_erase(ParticipationEvent.objects.filter(verb=Verb.VIEWED, occurred_on__lt=before))


# Columns of the log that hold a person's id: rewritten by `events_pseudonymise`.
PERSON_COLUMNS = ("actor_id", "target_user_id", "prepared_by_id")


def events_pseudonymise(person_id: int, placeholder_id: int, *, batch: int = 2000) -> int:
    """Replace a person's id by `placeholder_id` wherever the log names them (actor, target,
    prepared by): the events are erased and inserted again with every other column as it
    was. One transaction; returns how many events were rewritten."""
    named = (
        models.Q(actor_id=person_id)
        | models.Q(target_user_id=person_id)
        | models.Q(prepared_by_id=person_id)
    )
    fields = [f.attname for f in ParticipationEvent._meta.concrete_fields if not f.primary_key]
    with transaction.atomic():
        rows = list(ParticipationEvent.objects.filter(named).order_by("pk").values(*fields))
        if not rows:
            return 0
        # Erase first: a view keeps its (actor, object, day) key, which is unique.
        events_erase(ParticipationEvent.objects.filter(named))
        for row in rows:
            for column in PERSON_COLUMNS:
                if row[column] == person_id:
                    row[column] = placeholder_id
        ParticipationEvent.objects.bulk_create(
            [ParticipationEvent(**row) for row in rows], batch_size=batch
        )
    return len(rows)


def register_sqlite_erasure(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: the function the SQLite trigger asks before a DELETE."""
    if connection.vendor != "sqlite":
        return

    def allowed() -> int:
        return int(bool(getattr(connection, SQLITE_FLAG, False)))

    connection.connection.create_function("ruche_erasure_allowed", 0, allowed)
