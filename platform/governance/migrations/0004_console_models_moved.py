"""Reports, calendar tokens and questionnaire responses now belong to the console app
(console 0001 took them over, state only): governance forgets them without touching the
tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_audit_append_only_trigger"),
        ("console", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Report"),
                migrations.DeleteModel(name="CalendarToken"),
                migrations.DeleteModel(name="QuestionnaireResponse"),
            ],
            database_operations=[],
        ),
    ]
