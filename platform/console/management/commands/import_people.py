"""`manage.py import_people directory.csv [--dry-run] [--deactivate-missing]`: the CSV import
of the directory from the command line (README, "Connect your directory", "CSV import").

The same plan and the same service as the administrators' page: every line is checked first;
any error and nothing is written (exit status 1). `--dry-run` prints the plan and writes nothing.
Audit entries name no actor (the system): the command is run by an operator of the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from console import services
from people.directory_import import Action, Plan


class Command(BaseCommand):
    help = "Import people, departments and managers from a CSV file (all lines or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file (UTF-8, ';' or ',')")
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

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options.get("language") or "en")
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
            raise CommandError(f"{len(plan.errors)} error(s): nothing was imported.")

    def _write(self, plan: Plan, *, applied: bool) -> None:
        for error in plan.errors:
            self.stderr.write(str(error))
        if not plan.valid:
            return
        for name in plan.new_departments:
            self.stdout.write(f"new department: {name}")
        for person in plan.people:
            where = f"line {person.line}" if person.line else "absent"
            changes = "; ".join(f"{c.field}: {c.before!r} -> {c.after!r}" for c in person.changes)
            self.stdout.write(f"{person.action} {person.email} ({where}) {changes}".rstrip())
        for label in plan.kept_administrators:
            self.stdout.write(f"kept (administrator or yourself): {label}")
        counts = plan.counts
        summary = ", ".join(f"{counts[a]} {a}" for a in (Action.CREATE, Action.UPDATE,
                            Action.REACTIVATE, Action.DEACTIVATE))  # fmt: skip
        verb = "imported" if applied else "dry run, nothing written"
        self.stdout.write(
            f"{plan.rows} line(s): {summary}, {plan.unchanged} unchanged, "
            f"{len(plan.new_departments)} new department(s) ({verb})."
        )
