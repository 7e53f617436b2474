"""Conversation turns are keyed on the conversation the events now record (activity 0002-0003):
the kind keys "thread" and "post" instead of the owning apps' model labels. Rows already
rolled up are renamed in place, so that a thread started before this migration still meets
its first reply after it; turns of answers outside any post or thread (none are written any
more) are dropped."""

from django.db import migrations

RENAME = "UPDATE metrics_conversationturn SET object_type = %s WHERE object_type = %s"
DROP = "DELETE FROM metrics_conversationturn WHERE object_type NOT IN ('thread', 'post')"


def rekey(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(RENAME, ["thread", "communities.thread"])
        cursor.execute(RENAME, ["post", "blogs.postpage"])
        cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0006_event_log_to_activity"),
        ("activity", "0003_event_conversation_fill"),
    ]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
