"""Ruche in its production shape on this machine, for the load benchmarks of bench/load/.

Shared by `connections.py` (database connections under load) and `run.py` (daily pages and
writes): the production settings (`ruche.settings.production`, or a bench module built on
them), a database of its own, the static files collected, Redis, and gunicorn with uvicorn
workers started as docker-compose.yml's `web` service starts them.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
# docker-compose.yml's `web` worker: uvicorn with a bound on concurrent requests.
BOUNDED_WORKER = "operations.workers.BoundedUvicornWorker"
PLAIN_WORKER = "uvicorn_worker.UvicornWorker"


def production_env(
    *,
    database: str,
    redis: str,
    static_root: str,
    settings: str = "ruche.settings.production",
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a production process on `database` (a local PostgreSQL name).

    HTTPS is the reverse proxy's: the benchmarks send `X-Forwarded-Proto: https` like it, or
    speak plain HTTP to the health check (exempt from the redirect)."""
    return {
        **os.environ,
        # bench/load/ first: the bench settings and URLconf modules live there.
        "PYTHONPATH": os.pathsep.join(
            [str(HERE), str(ROOT / "platform"), str(ROOT), os.environ.get("PYTHONPATH", "")]
        ),
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_SECRET_KEY": "bench-load-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": static_root,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": redis,
        "RUCHE_LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="ruche-bench-prom-"),
        **(extra or {}),
    }


def manage(env: dict[str, str], *command: str) -> str:
    """`manage.py <command>` in `env`; its standard output."""
    done = subprocess.run(
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=False, capture_output=True
    )
    if done.returncode:
        sys.stderr.write(done.stderr.decode()[-4000:])
        raise SystemExit(f"manage.py {' '.join(command)} failed")
    return done.stdout.decode()


def database_exists(name: str) -> bool:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
         f"select 1 from pg_database where datname = '{name}'"],
        capture_output=True, check=True,
    )  # fmt: skip
    return done.stdout.strip() == b"1"


def recreate_database(name: str) -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def prepare(env: dict[str, str]) -> None:
    """Migrate the database and build what the production image builds (static, messages)."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "compilemessages", "--ignore=.venv", "-v0")


# A real session for an employee (created if missing), through the configured session engine.
SIGN_IN = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from people.models import User
user, _ = User.objects.get_or_create(username="bench.employee", defaults={"first_name": "Bench"})
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(store.session_key)
"""


def sign_in(env: dict[str, str]) -> str:
    """The session key of `bench.employee`."""
    return manage(env, "shell", "-c", SIGN_IN).strip().splitlines()[-1]


def start_server(
    env: dict[str, str],
    *,
    port: int,
    workers: int,
    worker_class: str = BOUNDED_WORKER,
    log: IO[bytes] | None = None,
) -> subprocess.Popen[bytes]:
    """gunicorn serving `ruche.asgi:application`, as docker-compose.yml's `web` service (its
    output to `log` when given); returns once /healthz answers 200."""
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "ruche.asgi:application",
        "--config",
        "python:operations.gunicorn_config",
        "--worker-class",
        worker_class,
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    _refuse_taken_port(port)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


def start_celery_worker(env: dict[str, str], *, log: IO[bytes] | None = None):
    """A Celery worker as docker-compose.yml's `worker` service (one process here, on a
    2-core machine), so that what the requests queue (notification e-mails, search indexing)
    is done during the run and its cost is part of what is measured. Returns once it answers
    a ping."""
    command = [str(Path(PYTHON).with_name("celery")), "-A", "ruche", "worker", "--concurrency", "1"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    ping = [str(Path(PYTHON).with_name("celery")), "-A", "ruche", "inspect", "ping", "-t", "2"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = subprocess.run(ping, cwd=ROOT, env=env, capture_output=True, check=False)
        if answer.returncode == 0:
            return worker
        if worker.poll() is not None:
            break
        time.sleep(1)
    worker.terminate()
    raise SystemExit("the Celery worker did not start")


def _refuse_taken_port(port: int) -> None:
    """A server left over from an interrupted run would answer the health check in place of
    the one being started, and the run would measure it: stop instead."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(
                f"port {port} is already served (a server of an interrupted run?): stop it first"
            )


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
