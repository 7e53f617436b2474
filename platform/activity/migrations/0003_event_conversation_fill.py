"""Existing events get the conversation they belong to, as `event_record` now writes it.

Posts and threads are their own conversation; a comment (or a reply, or a reaction to one)
belongs to what it was written under, read once here from interactions' comment table. Plain
SQL that runs on PostgreSQL and SQLite; set-based, so a large log is filled in one pass per
kind. Rows already filled (re-run) are left alone. Runs before the append-only trigger (0004).
"""

from django.db import migrations

EVENTS = "metrics_participationevent"

OWN = f"""
UPDATE {EVENTS}
SET conversation_type = %s, conversation_id = object_id
WHERE object_type = %s AND object_id IS NOT NULL AND conversation_type = ''
"""

# The kind key of a comment's target, from its content type.
TARGET_KIND = """
CASE
    WHEN ct.app_label = 'blogs' AND ct.model = 'postpage' THEN 'post'
    WHEN ct.app_label = 'communities' AND ct.model = 'thread' THEN 'thread'
END
"""
COMMENT_TARGET = f"""
FROM interactions_comment c
JOIN django_content_type ct ON ct.id = c.content_type_id
WHERE c.id = {EVENTS}.object_id AND ({TARGET_KIND}) IS NOT NULL
"""
COMMENTS = f"""
UPDATE {EVENTS}
SET conversation_type = (SELECT {TARGET_KIND} {COMMENT_TARGET}),
    conversation_id = (SELECT c.object_id {COMMENT_TARGET})
WHERE object_type = 'interactions.comment' AND conversation_type = ''
  AND EXISTS (SELECT 1 {COMMENT_TARGET})
"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(OWN, ["post", "blogs.postpage"])
        cursor.execute(OWN, ["thread", "communities.thread"])
        cursor.execute(COMMENTS)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0002_event_conversation"),
        # The comment table and the content types the comments' targets are read from.
        ("contenttypes", "0002_remove_content_type_name"),
        ("interactions", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
