from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` (a backup folder, or the latest one of a folder or "
        "s3://bucket/prefix) into an empty database; --force replaces a database that is not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, help="backup or destination")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database's tables and the stored files if there are any",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(
                source=options["source"], alias=options["database"], force=options["force"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(entry["count"] for entry in manifest["media"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} ({files} media files). "
                "Run `manage.py migrate` if this version of Ruche is newer than the backup's "
                f"({manifest['versions']['ruche']})."
            )
        )
