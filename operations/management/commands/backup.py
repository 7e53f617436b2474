from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's backup API) and the media files, with a "
        "manifest of versions and checksums, to a folder or s3://bucket/prefix."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            default=settings.RUCHE_BACKUP_TO,
            help="a folder or s3://bucket/prefix (default: RUCHE_BACKUP_TO, %(default)s)",
        )
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--keep", type=int, default=None, help="then delete all but the N latest backups"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            where = backup_create(
                to=str(options["to"]), alias=options["database"], keep=options["keep"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {where}"))
