"""Reports, calendar tokens and questionnaire responses move from the governance kernel to the
console: state only, the tables (governance_report, governance_calendartoken,
governance_questionnaireresponse) and their rows stay as they are. The content types (and so
the permissions that point at them) follow the models to the new app label.

governance 0004 removes the models from governance's state and depends on this one.
"""

import django.db.models.deletion
import people.models
from django.conf import settings
from django.db import migrations, models

MOVED = ["report", "calendartoken", "questionnaireresponse"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    # A database where the console types were already created (post_migrate of a partial run)
    # keeps those: relabelling the old ones too would break the (app_label, model) uniqueness.
    present = set(
        ContentType.objects.filter(app_label="console", model__in=MOVED).values_list(
            "model", flat=True
        )
    )
    ContentType.objects.filter(app_label="governance", model__in=MOVED).exclude(
        model__in=present
    ).update(app_label="console")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="console", model__in=MOVED).update(
        app_label="governance"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0003_audit_append_only_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CalendarToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(default=people.models.new_secret_token, max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now=True)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_token', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'governance_calendartoken',
                        'verbose_name': 'calendar token',
                        'verbose_name_plural': 'calendar tokens',
                    },
                ),
                migrations.CreateModel(
                    name='QuestionnaireResponse',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('submitted_at', models.DateTimeField(db_index=True, verbose_name='submitted at')),
                        ('believed_stage', models.CharField(choices=[('dormant', 'Dormant'), ('testing', 'Testing'), ('coordinating', 'Coordinating'), ('scaling', 'Scaling'), ('empowered', 'Empowered')], max_length=16, verbose_name='where I believe we stand')),
                        ('answers', models.JSONField(default=dict, verbose_name='answers')),
                        ('respondent', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='questionnaire_responses', to=settings.AUTH_USER_MODEL, verbose_name='respondent')),
                    ],
                    options={
                        'db_table': 'governance_questionnaireresponse',
                        'verbose_name': 'questionnaire response',
                        'verbose_name_plural': 'questionnaire responses',
                        'ordering': ['-submitted_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('post', 'blog post'), ('thread', 'thread'), ('comment', 'comment'), ('reply', 'reply')], max_length=16, verbose_name='kind of content')),
                        ('object_id', models.BigIntegerField(verbose_name='content id')),
                        ('community_id', models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name='community')),
                        ('excerpt', models.CharField(blank=True, max_length=300, verbose_name='excerpt')),
                        ('url', models.CharField(blank=True, max_length=500, verbose_name='link')),
                        ('reason', models.CharField(choices=[('disrespect', 'Disrespectful or harassing'), ('confidential', 'Confidential information'), ('false', 'False or misleading'), ('spam', 'Spam or advertising'), ('off_topic', 'Off topic here'), ('other', 'Something else')], max_length=16, verbose_name='reason')),
                        ('details', models.TextField(blank=True, max_length=2000, verbose_name='details')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='reported at')),
                        ('status', models.CharField(choices=[('open', 'waiting for a moderator'), ('hidden', 'content hidden'), ('dismissed', 'dismissed: nothing to do'), ('restored', 'hidden, then restored')], db_index=True, default='open', max_length=16, verbose_name='status')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('decision_note', models.TextField(blank=True, max_length=2000, verbose_name='explanation for the author')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reports_about', to=settings.AUTH_USER_MODEL, verbose_name='author of the content')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reports_made', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
                    ],
                    options={
                        'db_table': 'governance_report',
                        'verbose_name': 'report',
                        'verbose_name_plural': 'reports',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['kind', 'object_id'], name='report_content')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('reporter', 'kind', 'object_id'), name='one_open_report_per_person_content')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
