"""The audit log is append-only in the database too: a trigger refuses any UPDATE (and, on
PostgreSQL, any DELETE) of an audit entry, whatever the code path, raw SQL included.

SQLite keeps DELETE possible: Django's test database flush empties tables with DELETE there
(PostgreSQL uses TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION governance_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'governance_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER governance_audit_append_only
    BEFORE UPDATE OR DELETE ON governance_auditentry
    FOR EACH ROW EXECUTE FUNCTION governance_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS governance_audit_append_only ON governance_auditentry;
DROP FUNCTION IF EXISTS governance_audit_append_only();
"""
SQLITE_CREATE = """
CREATE TRIGGER governance_audit_append_only
BEFORE UPDATE ON governance_auditentry
BEGIN
    SELECT RAISE(ABORT, 'governance_auditentry is append-only');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS governance_audit_append_only;"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_calendartoken_questionnaireresponse_report")]

    operations = [migrations.RunPython(create, drop)]
