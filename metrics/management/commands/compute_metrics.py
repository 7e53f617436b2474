"""Roll up participation events and refresh the metrics: the same code as the nightly job."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from metrics.locking import ComputationBusy
from metrics.services import MetricsInputError, check_range, metrics_refresh


class Command(BaseCommand):
    help = (
        "Roll up participation events into daily metrics. Without --since: the days not "
        "rolled up yet and those with late events. With --since: those days again. One "
        "computation at a time: waits for one already running unless --no-wait."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=self._date, help="First day (YYYY-MM-DD).")
        parser.add_argument("--until", type=self._date, help="Last day (default: yesterday).")
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="Exit at once when another computation is running instead of waiting.",
        )

    @staticmethod
    def _date(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error

    def handle(
        self,
        *args,
        since: date | None = None,
        until: date | None = None,
        no_wait: bool = False,
        **options,
    ):
        try:
            check_range(since, until)
        except MetricsInputError as error:
            raise CommandError(f"{error.message} Nothing was written.") from error
        started = time.monotonic()
        try:
            days = metrics_refresh(
                since=since,
                until=until,
                wait=not no_wait,
                on_wait=lambda: self.stdout.write(
                    "Another metrics computation is running: waiting for it to finish…"
                ),
            )
        except ComputationBusy as error:
            raise CommandError(
                "Another metrics computation is running; nothing was done (run again later, "
                "or without --no-wait to wait for it)."
            ) from error
        elapsed = time.monotonic() - started
        if days:
            self.stdout.write(
                f"Rolled up {len(days)} day(s) from {min(days)} to {max(days)} in {elapsed:.1f} s."
            )
        else:
            self.stdout.write("Nothing to roll up.")
