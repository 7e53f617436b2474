"""Time and SQL queries of the CSV directory import (console.services.directory_import_*).

Usage (see docs/benchmarks.md, "Directory CSV import"):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruche_directory_bench \
    .venv/bin/python bench/directory/run.py [--people 2000]

Migrates, then on a database it empties of accounts made by earlier runs (e-mails under
@bench.test) measures: the dry run of a file of N new people in 20 departments, each managed by
the first of their department; the import itself (welcome e-mails off); the dry run of the same
file again (nothing to change); and an import moving every person to another department.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from console import services  # noqa: E402
from people.models import User  # noqa: E402


def directory(people: int, shift: int) -> bytes:
    lines = ["email;first_name;last_name;department;job_title;manager_email;language"]
    for n in range(people):
        dept = (n + shift) % 20
        head = n % 20  # the first twenty people head one department each
        manager = "" if n < 20 else f"p{head}@bench.test"
        lines.append(f"p{n}@bench.test;Prénom{n};Nom{n};Service {dept};Poste;{manager};fr")
    return ("\n".join(lines) + "\n").encode()


def measure(label: str, call) -> None:
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        plan = call()
        elapsed = time.perf_counter() - start
    counts = plan.counts
    print(
        f"{label:<28} {elapsed * 1000:8.0f} ms {queries[0]:6d} queries  "
        f"create {counts['create']} update {counts['update']} unchanged {plan.unchanged}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    User.objects.filter(email__endswith="@bench.test").update(manager=None)
    User.objects.filter(email__endswith="@bench.test").delete()
    first, moved = directory(args.people, 0), directory(args.people, 1)

    def preview(content: bytes):
        return lambda: services.directory_import_preview(
            actor=None, content=content, deactivate_missing=False
        )

    def apply(content: bytes):
        return lambda: services.directory_import_apply(
            actor=None, content=content, deactivate_missing=False, send_welcome=False
        )

    print(f"{args.people} people, load average {Path('/proc/loadavg').read_text().split()[:3]}")
    cpu = time.process_time()
    measure("dry run, all new", preview(first))
    measure("import, all new", apply(first))
    measure("dry run, nothing to change", preview(first))
    measure("import, everyone moves", apply(moved))
    print(f"CPU time of this process: {time.process_time() - cpu:.1f} s")


if __name__ == "__main__":
    main()
