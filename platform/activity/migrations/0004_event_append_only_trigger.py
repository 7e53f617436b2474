"""The event log is append-only in the database too: a trigger refuses any UPDATE or DELETE
of a participation event (and, on PostgreSQL, a TRUNCATE of the table), whatever the code
path, raw SQL included.

The one exception is retention/erasure (`activity.retention.allow_erasure`): a DELETE (or a
TRUNCATE) is let through when the transaction set the permission the trigger checks, on
PostgreSQL the transaction-local setting `ruche.erasure` (`SET LOCAL ruche.erasure = 'on'`), on SQLite the
connection function `ruche_erasure_allowed()` that `activity.apps` registers (a connection
without it, such as the sqlite3 shell, cannot delete at all). UPDATE has no exception.

Django's `flush` (the test suite's teardown of transactional tests) empties every table: the
activity app's own `flush` command runs Django's inside `allow_erasure()`: on PostgreSQL it is
a TRUNCATE (which row triggers do not see, hence the statement trigger), on SQLite a DELETE.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION activity_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('ruche.erasure', true) = 'on' THEN
        RETURN OLD;  -- NULL for the TRUNCATE statement trigger, where it is ignored
    END IF;
    RAISE EXCEPTION 'metrics_participationevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER activity_event_append_only
    BEFORE UPDATE OR DELETE ON metrics_participationevent
    FOR EACH ROW EXECUTE FUNCTION activity_event_append_only();
CREATE TRIGGER activity_event_no_truncate
    BEFORE TRUNCATE ON metrics_participationevent
    FOR EACH STATEMENT EXECUTE FUNCTION activity_event_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS activity_event_append_only ON metrics_participationevent;
DROP TRIGGER IF EXISTS activity_event_no_truncate ON metrics_participationevent;
DROP FUNCTION IF EXISTS activity_event_append_only();
"""
SQLITE_CREATE = [
    """
CREATE TRIGGER activity_event_no_update
BEFORE UPDATE ON metrics_participationevent
BEGIN
    SELECT RAISE(ABORT, 'metrics_participationevent is append-only');
END;
""",
    """
CREATE TRIGGER activity_event_no_delete
BEFORE DELETE ON metrics_participationevent
WHEN NOT ruche_erasure_allowed()
BEGIN
    SELECT RAISE(ABORT, 'metrics_participationevent is append-only');
END;
""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS activity_event_no_update;",
    "DROP TRIGGER IF EXISTS activity_event_no_delete;",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("activity", "0003_event_conversation_fill")]

    operations = [migrations.RunPython(create, drop)]
