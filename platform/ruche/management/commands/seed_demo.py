"""Seed the demo organisation: people first, then what each app adds (blogs, communities...).

Idempotent: every step looks up what it creates by a stable key, so running it twice leaves the
same data. Each step is a module with `seed(*, rng, stdout)`. The command lives in the top
layer (ruche) because it runs every app's step; the steps are imported, not looked up by name,
so a renamed step fails at import time instead of being skipped.
"""

from __future__ import annotations

import random
import time
from types import ModuleType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import blogs.demo
import communities.demo
import console.demo
import governance.demo
import interactions.demo
import metrics.demo
import people.demo
import ruche.demo_moderation
from people.models import User

# (the name its random numbers are seeded with, the step). The names are those the steps had
# when they were found by module name, so that moving a step does not change the demo data.
SEED_STEPS: list[tuple[str, ModuleType]] = [
    ("people.demo", people.demo),
    # Content first: the charter (governance.demo) is published afterwards, so that the seeded
    # posts do not depend on who has accepted it, and a second run finds them all in place.
    ("blogs.demo", blogs.demo),
    ("communities.demo", communities.demo),
    # What the seeded comments would have notified (before moderation notifies anyone).
    ("notifications.demo", interactions.demo),
    ("governance.demo", governance.demo),
    # The executives' questionnaire answers.
    ("console.demo", console.demo),
    # Reports need the posts and threads above; metrics roll up everything, so they come last.
    ("governance.demo_moderation", ruche.demo_moderation),
    ("metrics.demo", metrics.demo),
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
            people.demo.print_demo_logins(self.stdout)
            return
        for seed_name, step in SEED_STEPS:
            started = time.monotonic()
            # One generator per step, seeded by its name: a step's data does not change when
            # another step draws more or fewer random numbers.
            rng = random.Random(f"ruche-demo:{seed_name}")
            step.seed(rng=rng, stdout=self.stdout)
            self.stdout.write(f"  {step.__name__}: {time.monotonic() - started:.1f} s")
        people.demo.print_demo_logins(self.stdout)
