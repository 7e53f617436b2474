"""A Celery worker process killed with -9 in the middle of an e-mail: the task runs again, once.

Starts a real SMTP sink (which holds the first message's connection for a few seconds), a real
Celery worker on the Redis broker (REDIS_URL), queues one notification e-mail, kills the pool
process that is sending it with SIGKILL, and counts the e-mails the sink received and the
notification's `emailed_at`. Run from the repository root (docs/benchmarks.md):

    DATABASE_URL=... REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/faults/worker_kill.py
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings.base")

received: list[bytes] = []
connections = 0
HOLD_FIRST = 4.0  # seconds the sink stalls the first connection: the kill lands mid-send


def _serve(client: socket.socket, number: int) -> None:
    file = client.makefile("rwb")

    def say(line: str) -> None:
        file.write(line.encode() + b"\r\n")
        file.flush()

    if number == 1:
        time.sleep(HOLD_FIRST)
    say("220 sink")
    data: list[bytes] = []
    in_data = False
    for raw in file:
        if in_data:
            if raw in (b".\r\n", b".\n"):
                in_data = False
                received.append(b"".join(data))
                say("250 ok")
            else:
                data.append(raw)
            continue
        verb = raw.split(b" ", 1)[0].strip().upper()
        if verb in (b"EHLO", b"HELO"):
            say("250 sink")
        elif verb == b"DATA":
            in_data = True
            say("354 go")
        elif verb == b"QUIT":
            say("221 bye")
            break
        else:
            say("250 ok")
    client.close()


def smtp_sink() -> int:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()

    def accept() -> None:
        global connections
        while True:
            client, _ = server.accept()
            connections += 1
            threading.Thread(target=_serve, args=(client, connections), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return int(server.getsockname()[1])


def main() -> int:
    port = smtp_sink()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import Kind, Notification
    from notifications.tasks import send_notification_email
    from people.models import User

    recipient, _ = User.objects.get_or_create(
        username="faults.recipient", defaults={"email": "faults@ruche.test"}
    )
    actor, _ = User.objects.get_or_create(
        username="faults.actor", defaults={"email": "a@ruche.test"}
    )
    notification = Notification.objects.create(
        recipient=recipient,
        actor=actor,
        kind=Kind.COMMENT,
        content_type=ContentType.objects.get_for_model(actor),
        object_id=actor.pk,
        target_title="kill -9",
        url="/",
        group_key=f"faults:{time.time()}",
        summary="mid-task",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ruche", "worker", "--concurrency", "1",
         "--pool", "prefork", "--loglevel", "WARNING", "--without-heartbeat",
         "--without-mingle", "--without-gossip"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}"},
    )  # fmt: skip
    try:
        time.sleep(6)  # the worker boots
        send_notification_email.delay(notification.pk)
        deadline = time.monotonic() + 30
        while connections == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert connections == 1, "the worker never reached the SMTP server"
        children = subprocess.run(
            ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True, check=True
        ).stdout.split()
        for child in children:  # the pool process, mid-send
            os.kill(int(child), signal.SIGKILL)
        print(f"killed pool process {' '.join(children)} with -9 while it was sending")
        deadline = time.monotonic() + 60
        while not received and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # any duplicate would arrive now
        notification.refresh_from_db()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(f"SMTP connections: {connections}, e-mails received: {len(received)}")
    print(f"emailed_at set: {notification.emailed_at is not None}")
    ok = len(received) == 1 and notification.emailed_at is not None
    print("OK: redone once" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
