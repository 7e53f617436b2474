"""Calendar tokens hashed at rest: the table keeps the SHA-256 of each secret, never the secret.

Existing calendar addresses keep working: each stored secret is replaced by its digest, and a
request's secret is looked up by its digest (people.models.token_digest, the same function
as below: SHA-256 of the UTF-8 secret, in hexadecimal). Migrating back cannot bring the
secrets back (that is the point): it gives every token a new one, so old addresses stop
working and their owners create new ones.
"""

import hashlib
import secrets

from django.db import migrations, models


def hash_existing_tokens(apps, schema_editor):
    Token = apps.get_model("console", "CalendarToken")
    for token in Token.objects.only("pk", "token").iterator(chunk_size=1000):
        digest = hashlib.sha256(token.token.encode("utf-8", "replace")).hexdigest()
        Token.objects.filter(pk=token.pk).update(token_hash=digest)


def new_secrets(apps, schema_editor):
    Token = apps.get_model("console", "CalendarToken")
    for pk in Token.objects.values_list("pk", flat=True).iterator(chunk_size=1000):
        Token.objects.filter(pk=pk).update(token=secrets.token_urlsafe(32))


class Migration(migrations.Migration):
    dependencies = [("console", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # Without its default and unique index while it is emptied, so that migrating back can
        # add it again before new secrets fill it.
        migrations.AlterField(
            model_name="calendartoken",
            name="token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_existing_tokens, new_secrets, elidable=False),
        migrations.RemoveField(model_name="calendartoken", name="token"),
        migrations.AlterField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
