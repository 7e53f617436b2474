"""`manage.py search_reindex [--kind post ...]`: rebuild the search documents.

Saves re-index as they commit; this command is for a database filled before search existed,
a restored backup, or a change of what a kind indexes. Safe to run twice (each kind is
replaced in one transaction)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search.indexing import reindex
from search.sources import sources


class Command(BaseCommand):
    help = "Rebuild the global search documents (every kind, or those named with --kind)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", help="a kind to rebuild (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        keys = options["kind"]
        known = {s.key for s in sources()}
        unknown = set(keys or ()) - known
        if unknown:
            raise CommandError(
                f"unknown kind(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
            )
        for key, count in reindex(keys).items():
            self.stdout.write(f"{key}: {count}")
