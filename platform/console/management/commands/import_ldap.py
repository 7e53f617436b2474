"""`manage.py import_ldap [--dry-run] [--deactivate-missing]`: the directory import from LDAP /
Active Directory (README, "Connect your directory", "LDAP and Active Directory").

The people under RUCHE_LDAP_USER_BASE become the rows of the CSV import (people.ldap
.directory_export), and then everything is the CSV import's: the same plan, dry run, per-line
checks (named here by the entry's DN), lock, all-or-nothing rule and audit. Any error and
nothing is written (exit status 1).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from console import services
from console.management.commands import import_people
from people import ldap
from people.directory_import import LineError


class Command(import_people.Command):
    help = "Import people, departments and managers from the LDAP directory (all or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        self.add_options(parser)  # no file: the directory is the source

    def _import(self, options: dict[str, Any]) -> None:
        if not ldap.ldap_enabled():
            raise CommandError(_("RUCHE_LDAP_URL is not set: there is no directory to read."))
        try:
            export = ldap.directory_export()
        except ldap.DirectoryUnreachable as refusal:
            raise CommandError(str(refusal.message)) from refusal
        self.entries = export.entries
        if export.errors:
            for error in export.errors:
                self.stderr.write(error)
            raise CommandError(_("The directory has errors: nothing was imported."))
        deactivate = options["deactivate_missing"]
        if options["dry_run"]:
            plan = services.directory_import_preview(
                actor=None, content=export.content, deactivate_missing=deactivate
            )
        else:
            try:
                plan = services.directory_import_apply(
                    actor=None,
                    content=export.content,
                    deactivate_missing=deactivate,
                    send_welcome=not options["no_welcome"],
                )
            except services.ImportInvalid as refused:
                plan = refused.plan
        self._write(plan, applied=not options["dry_run"])
        if not plan.valid:
            raise CommandError(_("The directory has errors: nothing was imported."))

    def _error_text(self, error: LineError) -> str:
        where = self.entries.get(error.line, "")
        if not where:
            return str(error)
        if error.column:
            return f"{where} ({error.column}): {error.message}"
        return f"{where}: {error.message}"

    def _where(self, line: int | None) -> str:
        if line and line in self.entries:
            return self.entries[line]
        return _("absent from the directory")
