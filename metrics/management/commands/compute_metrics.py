"""Roll up participation events and refresh the metrics: the same code as the nightly job."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from metrics.services import metrics_refresh, yesterday


class Command(BaseCommand):
    help = (
        "Roll up participation events into daily metrics. Without --since: the days not "
        "rolled up yet and those with late events. With --since: those days again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=self._date, help="First day (YYYY-MM-DD).")
        parser.add_argument("--until", type=self._date, help="Last day (default: yesterday).")

    @staticmethod
    def _date(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error

    def handle(self, *args, since: date | None = None, until: date | None = None, **options):
        until = until or yesterday()
        if since and since > until:
            raise CommandError("--since must not be after --until.")
        started = time.monotonic()
        days = metrics_refresh(since=since, until=until)
        elapsed = time.monotonic() - started
        if days:
            self.stdout.write(
                f"Rolled up {len(days)} day(s) from {min(days)} to {max(days)} in {elapsed:.1f} s."
            )
        else:
            self.stdout.write("Nothing to roll up.")
