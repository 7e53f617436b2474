"""Seed the demo organisation: people, then a year of its life made through the services, then
what needs that content (notifications, questionnaires, reports), then the metrics.

Deterministic (seeded generators) and safe to run again: people and the charter are looked up by
stable keys, and a second run plays only the days missing up to yesterday, so the demo never
looks weeks old. The steps are imported, not looked up by name, so a renamed step fails at
import time instead of being skipped.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from search.indexing import indexing_paused, reindex

import ama.demo
import announcements.demo
import console.demo
import interactions.demo
import metrics.demo
import people.demo
import provisioning.demo
import roi.demo
import ruche.demo_history
import ruche.demo_moderation
import twofactor.demo
from metrics.services import yesterday
from people.models import User


def steps(*, scale: float, catch_up_only: bool = False) -> list[tuple[str, Callable[..., Any]]]:
    """(the name its random numbers are seeded with, the step taking `rng` and `stdout`)."""
    until = yesterday()
    return [
        ("people.demo", lambda **kw: people.demo.seed(scale=scale, **kw)),
        # The demo administrator's authenticator, with the secret the README publishes.
        ("twofactor.demo", twofactor.demo.seed),
        # Communities, posts, threads, replies, reactions, follows, views and the charter,
        # day by day through the services (notifications muted).
        (
            "ruche.demo_history",
            lambda **kw: ruche.demo_history.seed(
                until=until, scale=scale, catch_up_only=catch_up_only, **kw
            ),
        ),
        # What the last weeks' comments notified (the history itself notifies nobody).
        ("notifications.demo", interactions.demo.seed),
        # Must-read announcements, their acknowledgements, one scheduled (after the history:
        # the communities and the charter exist).
        ("announcements.demo", announcements.demo.seed),
        # Ask-me-anything sessions: an archived one with its answers, an open one.
        ("ama.demo", ama.demo.seed),
        # The executives' questionnaire answers.
        ("console.demo", console.demo.seed),
        # A SCIM provisioning client (its token printed once) for /scim/v2/.
        ("provisioning.demo", provisioning.demo.seed),
        # Reports need the posts and threads above; metrics roll up everything, so they come last.
        ("governance.demo_moderation", ruche.demo_moderation.seed),
        ("metrics.demo", metrics.demo.seed),
        # The ROI worksheet's assumptions, two versions (its figures are read from the metrics).
        ("roi.demo", roi.demo.seed),
    ]


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo organisation. Safe to run more than once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="If employees already exist, only add the days of activity missing up to "
            "yesterday.",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size of the organisation, as a share of the 300 employees (tests use 0.3).",
        )

    def handle(self, *args: Any, if_empty: bool = False, scale: float = 1.0, **options: Any):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo runs only in demo mode (RUCHE_DEMO_MODE=true).")
        if not 0.05 <= scale <= 10:
            raise CommandError("--scale must be between 0.05 and 10.")
        present = if_empty and User.objects.exists()
        chosen = steps(scale=scale, catch_up_only=present)
        if present:
            self.stdout.write("Demo data already present: adding the days missing, if any.")
            chosen = [s for s in chosen if s[0] in {"ruche.demo_history", "metrics.demo"}]
        total = time.monotonic()
        # Thousands of saves: the search index is rebuilt once at the end rather than one
        # queued task per save, so search finds the whole demo as soon as the seed ends.
        with indexing_paused():
            for seed_name, step in chosen:
                started = time.monotonic()
                # One generator per step, seeded by its name: a step's data does not change
                # when another step draws more or fewer random numbers.
                rng = random.Random(f"ruche-demo:{seed_name}")
                step(rng=rng, stdout=self.stdout)
                self.stdout.write(f"  {seed_name}: {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        indexed = reindex()
        self.stdout.write(
            f"  search: {sum(indexed.values())} documents in {time.monotonic() - started:.1f} s"
        )
        self.stdout.write(f"Seeded in {time.monotonic() - total:.1f} s.")
        people.demo.print_demo_logins(self.stdout)
