"""PostgreSQL restarted under a running Ruche: the web and worker processes recover by
themselves, without a restart.

Starts a throw-away PostgreSQL 15 cluster of its own (initdb in a temporary folder, port
55432, so the machine's server is never touched), migrates it, then runs Ruche in its
production shape against it: gunicorn with 2 uvicorn workers on `ruche.settings.production`
and a Celery worker on the Redis broker (REDIS_URL, default redis://127.0.0.1:6379/7), e-mail
to files. It checks, before and after restarting PostgreSQL (`pg_ctl restart -m fast`, which
cuts every connection): the health check and a signed-in page answer 200, and a notification
e-mail queued for the worker is sent. It prints how long the web took to answer 200 again.

    .venv/bin/python bench/faults/pg_restart.py
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = 55432
WEB_PORT = 8771
DB = "ruche_pg_restart"

SIGN_IN = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from people.models import User
user, _ = User.objects.get_or_create(
    username="restart.employee", defaults={"first_name": "Rémi", "email": "remi@example.com"}
)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(store.session_key)
"""

# A comment notification for the employee, e-mailed by the worker (the send task is queued on
# the broker: the e-mail file proves the worker read and wrote the database).
QUEUE_EMAIL = """
from notifications.models import Kind, Notification
from notifications.tasks import send_notification_email
from people.models import User
user = User.objects.get(username="restart.employee")
n = Notification.objects.create(
    recipient=user, actor=user, kind=Kind.COMMENT, target_title="Redémarrage",
    url="/", group_key="restart", summary="PostgreSQL est revenu",
)
send_notification_email.delay(n.pk)
"""


def _as_postgres(*command: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True)


def _cluster(folder: Path) -> Path:
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.chown(folder, "postgres")
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    _pg_ctl(data, "start")
    return data


def _pg_ctl(data: Path, action: str, *extra: str) -> None:
    options = f"-p {PG_PORT} -k {data.parent} -c listen_addresses=127.0.0.1"
    _as_postgres(
        str(PG_BIN / "pg_ctl"),
        action,
        "-D",
        str(data),
        "-o",
        options,
        "-w",
        "-l",
        str(data.parent / "postgres.log"),
        *extra,
    )


def _env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ruche.settings.production",
        "DJANGO_SECRET_KEY": "bench-pg-restart-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7"),
        # django-environ drops the first slash of the path: four slashes give an absolute one.
        "EMAIL_URL": f"filemail:///{folder / 'mail'}",
        "RUCHE_LOG_LEVEL": "ERROR",
        "PROMETHEUS_MULTIPROC_DIR": tempfile.mkdtemp(prefix="ruche-pg-restart-prom-"),
    }


def _manage(env: dict[str, str], *command: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return done.stdout.decode()


def _get(path: str, cookie: str = "") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=10)
    try:
        headers = {"Host": "127.0.0.1", "Cookie": f"sessionid={cookie}"} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


def _wait_for(check, seconds: float) -> float | None:
    """Seconds until `check()` is true, or None after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def _email_round(env: dict[str, str], mail: Path) -> float | None:
    before = len(list(mail.glob("*"))) if mail.exists() else 0
    _manage(env, "shell", "-c", QUEUE_EMAIL)
    return _wait_for(lambda: mail.exists() and len(list(mail.glob("*"))) > before, 30)


def _round(label: str, env: dict[str, str], cookie: str, mail: Path) -> bool:
    health, page = _get("/healthz"), _get("/people/", cookie)
    emailed = _email_round(env, mail)
    sent = "not sent" if emailed is None else f"sent in {emailed:.1f} s"
    print(f"{label}: /healthz {health}, /people/ {page}, worker e-mail {sent}")
    return health == 200 and page == 200 and emailed is not None


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="ruche-pg-restart-"))
    data = _cluster(folder)
    env = _env(folder)
    processes: list[subprocess.Popen] = []
    try:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", DB], check=True
        )
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "collectstatic", "--noinput", "-v0")
        cookie = _manage(env, "shell", "-c", SIGN_IN).strip().splitlines()[-1]
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        processes.append(
            subprocess.Popen(
                [
                    gunicorn,
                    "ruche.asgi:application",
                    "--config",
                    "python:operations.gunicorn_config",
                    "--worker-class",
                    "uvicorn_worker.UvicornWorker",
                    "--workers",
                    "2",
                    "--bind",
                    f"127.0.0.1:{WEB_PORT}",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    str(Path(PYTHON).with_name("celery")),
                    "-A",
                    "ruche",
                    "worker",
                    "-c",
                    "1",
                    "--loglevel",
                    "ERROR",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        if _wait_for(lambda: _get("/healthz") == 200, 60) is None:
            print("the server did not start")
            return 1
        mail = folder / "mail"
        ok = _round("before the restart", env, cookie, mail)
        restarted = time.monotonic()
        _pg_ctl(data, "restart", "-m", "fast")
        print(
            f"PostgreSQL restarted in {time.monotonic() - restarted:.1f} s (every connection cut)"
        )
        recovered = _wait_for(lambda: _get("/healthz") == 200, 60)
        print(
            "web answers 200 again after "
            + ("never (60 s)" if recovered is None else f"{recovered:.1f} s")
        )
        # Every web worker, not just one: a few requests spread over both processes.
        pages = [_get("/people/", cookie) for _ in range(10)]
        print(
            f"10 signed-in pages after the restart: {pages.count(200)} × 200, "
            f"others {sorted(set(pages) - {200})}"
        )
        ok = ok and recovered is not None and pages.count(200) == 10
        ok = _round("after the restart", env, cookie, mail) and ok
        load = Path("/proc/loadavg").read_text().split()[:3]
        print(f"load average {' '.join(load)}")
        print("OK: recovered without restarting web or worker" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        _pg_ctl(data, "stop", "-m", "fast")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
