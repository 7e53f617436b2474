"""`manage.py import_people directory.csv [--dry-run] [--deactivate-missing]`: the CSV import
of the directory from the command line (README, "Connect your directory", "CSV import").

The same plan and the same service as the administrators' page: every line is checked first;
any error and nothing is written (exit status 1). `--dry-run` prints the plan and writes nothing.
Audit entries name no actor (the system): the command is run by an operator of the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from console import services
from people.directory_import import LineError, Plan


class Command(BaseCommand):
    help = "Import people, departments and managers from a CSV file (all lines or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file (UTF-8, ';' or ',')")
        self.add_options(parser)

    def add_options(self, parser: CommandParser) -> None:
        """The options import_ldap shares."""
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change; write nothing"
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="deactivate the active accounts absent from the file (never administrators)",
        )
        parser.add_argument(
            "--no-welcome", action="store_true", help="send no welcome e-mail to new accounts"
        )
        parser.add_argument(
            "--language",
            choices=["fr", "en"],
            default=settings.LANGUAGE_CODE[:2],
            help="language of the plan and the errors (default: the site's)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        try:
            content = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        deactivate = options["deactivate_missing"]
        if options["dry_run"]:
            plan = services.directory_import_preview(
                actor=None, content=content, deactivate_missing=deactivate
            )
        else:
            try:
                plan = services.directory_import_apply(
                    actor=None,
                    content=content,
                    deactivate_missing=deactivate,
                    send_welcome=not options["no_welcome"],
                )
            except services.ImportInvalid as refused:
                plan = refused.plan
        self._write(plan, applied=not options["dry_run"])
        if not plan.valid:
            raise CommandError(_("The file has errors: nothing was imported."))

    # Where a line came from, in the plan and its errors (import_ldap names directory entries).
    def _error_text(self, error: LineError) -> str:
        return str(error)

    def _where(self, line: int | None) -> str:
        return _("line %(line)d") % {"line": line} if line else _("absent from the file")

    def _write(self, plan: Plan, *, applied: bool) -> None:
        for error in plan.errors:
            self.stderr.write(self._error_text(error))
        if not plan.valid:
            return
        for name in plan.new_departments:
            self.stdout.write(_("New department: %(name)s") % {"name": name})
        for person in plan.people:
            where = self._where(person.line)
            changes = "; ".join(f"{c.label}: “{c.before}” → “{c.after}”" for c in person.changes)
            self.stdout.write(f"{person.action_label} {person.email} ({where}) {changes}".rstrip())
        for label in plan.kept_administrators:
            self.stdout.write(
                _("Kept active (administrator or yourself): %(who)s") % {"who": label}
            )
        counts = plan.counts
        summary = _(
            "%(rows)d lines: %(create)d created, %(update)d changed, %(reactivate)d reactivated, "
            "%(deactivate)d deactivated, %(unchanged)d unchanged, %(departments)d new departments."
        ) % {
            "rows": plan.rows,
            **counts,
            "unchanged": plan.unchanged,
            "departments": len(plan.new_departments),
        }
        verb = _("Imported.") if applied else _("Dry run: nothing was written.")
        self.stdout.write(f"{summary} {verb}")
