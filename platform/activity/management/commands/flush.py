"""Django's `flush`, allowed to empty the event log on every database.

Flushing deletes every row of every table: it is an erasure of everything, the one exception
the append-only log makes (`activity.retention`). PostgreSQL's flush is a TRUNCATE, which the
row trigger does not see; SQLite's is a DELETE, which the trigger lets through only under
`allow_erasure()`. The test suite's teardown of transactional tests calls this command.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS

from activity.retention import allow_erasure


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with allow_erasure(options.get("database") or DEFAULT_DB_ALIAS):
            super().handle(**options)
