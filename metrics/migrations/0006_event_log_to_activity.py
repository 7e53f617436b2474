"""The event log now belongs to the activity app (see activity 0001): state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0005_activity_user_day"),
        ("activity", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ParticipationEvent"),
                migrations.DeleteModel(name="DirtyDay"),
            ],
            database_operations=[],
        ),
    ]
