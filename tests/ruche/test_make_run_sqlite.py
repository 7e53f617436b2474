"""`make run` on a bare machine: the demo seeds and rolls up its year on SQLite.

CI runs every other test on PostgreSQL; this one runs the real commands of `make run`
(`migrate`, `seed_demo`) in a subprocess on a throw-away SQLite file with no Redis, so SQL that
only PostgreSQL understands cannot break the first run of a newcomer again (it did once: the
executives' dated ranges were written with DISTINCT ON and AT TIME ZONE).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
from metrics.models import LeaderViewDay, ScopeDay
print(LeaderViewDay.objects.count(), ScopeDay.objects.count())
"""


def _manage(env: dict[str, str], *command: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_demo_seeds_on_sqlite_without_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="ruche.settings",
        RUCHE_VAR_DIR=str(tmp_path / "var"),
    )
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "seed_demo", "--if-empty")
    leader_views, snapshots = map(int, _manage(env, "shell", "-c", CHECK).split()[-2:])
    assert leader_views > 0 and snapshots > 0
