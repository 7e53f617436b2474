"""The production image installs the runtime dependencies only, and they are enough."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements-runtime.lock"


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked(path: Path) -> set[str]:
    return {_name(line) for line in path.read_text().splitlines() if line and line[0].isalnum()}


def test_the_image_installs_the_runtime_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements-runtime.lock" in dockerfile
    assert "requirements.lock" not in dockerfile.replace("requirements-runtime.lock", "")


def test_the_runtime_lock_has_every_runtime_dependency_and_no_development_tool():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = _locked(RUNTIME_LOCK)
    assert {_name(dep) for dep in project["dependencies"]} <= locked
    for tool in ("pytest", "playwright", "mypy", "ruff", "factory-boy", "import-linter"):
        assert tool not in locked


# Run with every installed package that is not in the runtime lock made unimportable, as in the
# image: libraries that merely try an optional import (greenlet, jinja2...) fall back, and any
# start-up import of a development tool or an unlocked package fails.
START_UP = """
import sys, importlib.abc, importlib.metadata
locked = set(sys.argv[1].split(","))
norm = lambda name: name.lower().replace("_", "-")
absent = {
    module for module, dists in importlib.metadata.packages_distributions().items()
    if not any(norm(dist) in locked for dist in dists) and module not in sys.modules
}

class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in absent:
            raise ModuleNotFoundError(f"No module named {name!r} (not in the runtime lock)")
        return None

sys.meta_path.insert(0, Absent())
sys.path[:0] = ["platform", "."]
import django
django.setup()
import ruche.asgi, ruche.urls, ruche.celery, operations.gunicorn_config, operations.workers
from django.core.management import call_command
call_command("check", "--deploy", "--fail-level", "WARNING")
print("started")
"""


def test_production_starts_with_the_runtime_lock_alone(tmp_path):
    """Web, worker and beat start from these imports, and `check --deploy` passes, with only
    the packages of the runtime lock importable."""
    (tmp_path / "prometheus").mkdir()  # gunicorn_config creates it when gunicorn starts
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RUCHE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="ruche.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="intranet.example.com",
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        RUCHE_VAR_DIR=str(tmp_path),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
    )
    done = subprocess.run(
        [sys.executable, "-c", START_UP, ",".join(sorted(_locked(RUNTIME_LOCK)))],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("started")
