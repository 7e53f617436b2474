"""Posts take the moderation state every content kind shares (core.models.Moderated):
hidden_at, hidden_by, hidden_reason instead of the `hidden` boolean.

A post hidden before this migration keeps being hidden: its hidden_at, hidden_by and reason
come from governance's records of that decision (the latest "post.hidden" audit entry, else
the latest report decided "hidden" on it), or now() when neither says more.
"""

import json
from datetime import UTC

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

REASON_MAX_LENGTH = 1000


def _json(value):
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _decision(cursor, post_id):
    """(when, actor id, reason) of the latest moderation decision recorded on the post."""
    cursor.execute(
        "SELECT created_at, actor_id, after FROM governance_auditentry"
        " WHERE action = %s AND target_type = %s AND target_id = %s"
        " ORDER BY created_at DESC, id DESC LIMIT 1",
        ["post.hidden", "blogs.postpage", str(post_id)],
    )
    row = cursor.fetchone()
    if row is not None:
        after = _json(row[2]) or {}
        reason = after.get("reason", "") if isinstance(after, dict) else ""
        return row[0], row[1], reason or ""
    cursor.execute(
        "SELECT decided_at, decided_by_id, decision_note FROM governance_report"
        " WHERE kind = %s AND object_id = %s AND status = %s AND decided_at IS NOT NULL"
        " ORDER BY decided_at DESC, id DESC LIMIT 1",
        ["post", post_id, "hidden"],
    )
    row = cursor.fetchone()
    if row is not None:
        return row[0], row[1], row[2] or ""
    return None, None, ""


def _aware(value):
    if isinstance(value, str):  # SQLite hands back text
        value = models.DateTimeField().to_python(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def hidden_to_moderated(apps, schema_editor):
    PostPage = apps.get_model("blogs", "PostPage")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    now = timezone.now()
    with schema_editor.connection.cursor() as cursor:
        for post_id in PostPage.objects.filter(hidden=True).values_list("pk", flat=True):
            when, actor_id, reason = _decision(cursor, post_id)
            if actor_id is not None and not User.objects.filter(pk=actor_id).exists():
                actor_id = None
            PostPage.objects.filter(pk=post_id).update(
                hidden_at=_aware(when) or now,
                hidden_by_id=actor_id,
                hidden_reason=str(reason)[:REASON_MAX_LENGTH],
            )


def moderated_to_hidden(apps, schema_editor):
    PostPage = apps.get_model("blogs", "PostPage")
    PostPage.objects.filter(hidden_at__isnull=False).update(hidden=True)


class Migration(migrations.Migration):
    dependencies = [
        ("blogs", "0003_blog_writers_groups"),
        # The moderation records the copy reads (audit log, reports).
        ("governance", "0002_calendartoken_questionnaireresponse_report"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="postpage",
            name="hidden_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="hidden at"),
        ),
        migrations.AddField(
            model_name="postpage",
            name="hidden_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="hidden by",
            ),
        ),
        migrations.AddField(
            model_name="postpage",
            name="hidden_reason",
            field=models.CharField(
                blank=True, max_length=1000, verbose_name="reason for hiding"
            ),
        ),
        migrations.RunPython(hidden_to_moderated, moderated_to_hidden),
        migrations.RemoveIndex(model_name="postpage", name="post_author_hidden"),
        migrations.RemoveField(model_name="postpage", name="hidden"),
        migrations.AddIndex(
            model_name="postpage",
            index=models.Index(fields=["author", "hidden_at"], name="post_author_hidden_at"),
        ),
    ]
