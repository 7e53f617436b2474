"""A real Celery worker process consumes a real Redis broker and runs Ruche's tasks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from people import services
from tests.conftest import needs_redis

ROOT = Path(__file__).resolve().parents[2]


def _database_url_of_the_test_database() -> str:
    params = connection.settings_dict
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """`celery -A ruche worker` in its own process, on the test database and broker."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs a shared database: set DATABASE_URL")
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_of_the_test_database(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        # django-environ drops one slash: four make an absolute path.
        "EMAIL_URL": f"filemail:///{mail_dir}",
        "PYTHONPATH": f"{ROOT / 'platform'}{os.pathsep}{ROOT}",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ruche",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
    )
    yield mail_dir
    worker.terminate()
    worker.wait(timeout=20)


@needs_redis
def test_welcome_email_is_sent_by_a_real_worker(celery_worker_process):
    from ruche.celery import app

    app.conf.task_always_eager = False  # go through the broker for real
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    services.user_create(
        username="nouvelle.recrue",
        email="nouvelle.recrue@ruche.test",
        first_name="Nina",
        last_name="Recrue",
        preferred_language="fr",
    )
    deadline = time.monotonic() + 60
    sent = []
    while time.monotonic() < deadline and not sent:
        sent = list(celery_worker_process.glob("*.log")) if celery_worker_process.exists() else []
        time.sleep(0.25)
    assert sent, "the worker did not send the welcome e-mail within 60 s"
    message = sent[0].read_text()
    assert "To: nouvelle.recrue@ruche.test" in message
    assert "Bienvenue sur Ruche" in message  # in the new employee's language
