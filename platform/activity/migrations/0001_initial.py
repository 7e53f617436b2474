"""The event log moves from metrics to its own app: state only, the tables stay as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="metrics", model__in=["participationevent", "dirtyday"]
    ).update(app_label="activity")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("metrics", "0005_activity_user_day"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ParticipationEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("verb", models.CharField(choices=[("viewed", "viewed"), ("posted", "posted"), ("commented", "commented"), ("replied", "replied"), ("reacted", "reacted"), ("joined", "joined"), ("followed", "followed"), ("started_thread", "started a thread"), ("accepted_charter", "accepted the charter"), ("updated_profile", "updated their profile")], max_length=32)),
                        ("object_type", models.CharField(blank=True, max_length=64)),
                        ("object_id", models.BigIntegerField(blank=True, null=True)),
                        ("community_id", models.BigIntegerField(blank=True, null=True)),
                        ("department_id", models.BigIntegerField(blank=True, null=True)),
                        ("target_user_id", models.BigIntegerField(blank=True, null=True)),
                        ("target_department_id", models.BigIntegerField(blank=True, null=True)),
                        ("prepared_by_id", models.BigIntegerField(blank=True, null=True)),
                        ("occurred_at", models.DateTimeField(db_index=True)),
                        ("occurred_on", models.DateField()),
                        ("actor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="participation_events", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "participation event",
                        "verbose_name_plural": "participation events",
                        "db_table": "metrics_participationevent",
                        "indexes": [
                            models.Index(fields=["occurred_on", "verb"], name="event_day_verb"),
                            models.Index(fields=["actor", "occurred_on"], name="event_actor_day"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(condition=models.Q(("verb", "viewed")), fields=("actor", "object_type", "object_id", "occurred_on"), name="one_view_per_person_object_day"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DirtyDay",
                    fields=[("day", models.DateField(primary_key=True, serialize=False))],
                    options={"db_table": "metrics_dirtyday"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
