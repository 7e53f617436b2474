"""Seed the demo organisation: people first, then whatever each app adds (blogs, communities...).

Idempotent: every step looks up what it creates by a stable key, so running it twice leaves the
same data. Each app contributes an optional `<app>.demo` module with `seed(*, rng, stdout)`.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from people.demo import print_demo_logins
from people.models import User

SEED_STEPS = [
    "people.demo",
    # Content first: the charter (governance.demo) is published afterwards, so that the seeded
    # posts do not depend on who has accepted it, and a second run finds them all in place.
    "blogs.demo",
    "communities.demo",
    # What the seeded comments would have notified (before moderation notifies anyone).
    "notifications.demo",
    "governance.demo",
    # Reports need the posts and threads above; metrics roll up everything, so they come last.
    "governance.demo_moderation",
    "metrics.demo",
]


class Command(BaseCommand):
    help = "Create (or complete) the demo organisation. Safe to run more than once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if employees already exist."
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo runs only in demo mode (RUCHE_DEMO_MODE=true).")
        if if_empty and User.objects.exists():
            self.stdout.write("Demo data already present: not seeding again.")
            print_demo_logins(self.stdout)
            return
        for module_name in SEED_STEPS:
            if importlib.util.find_spec(module_name) is None:
                continue
            started = time.monotonic()
            # One generator per step, seeded by its name: a step's data does not change when
            # another step draws more or fewer random numbers.
            rng = random.Random(f"ruche-demo:{module_name}")
            importlib.import_module(module_name).seed(rng=rng, stdout=self.stdout)
            self.stdout.write(f"  {module_name}: {time.monotonic() - started:.1f} s")
        print_demo_logins(self.stdout)
