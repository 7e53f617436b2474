"""Time from opening the composer to the post being visible, in Chromium (docs/benchmarks.md).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ruche_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/composer/run.py [--runs 10]

It migrates the database, creates a bench employee, serves Ruche's ASGI application with
uvicorn on a free local port and, with Playwright driving /usr/bin/chromium, repeats: open the
home page, wait until the composer's editor is ready, type a title and two sentences, click
Publish and wait until the post's page shows its title. It prints the median and the slowest
run, in total and split in "open" (navigation to editor ready) and "publish" (click to the
post visible). Typing is done by Playwright without delay, so the figures are Ruche's time,
not a person's.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from people.models import User  # noqa: E402

PASSWORD = "bench-composer-password"  # noqa: S105 - a local bench account


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve() -> tuple[str, object]:
    import uvicorn

    from ruche.asgi import application

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    person, _created = User.objects.get_or_create(
        username="bench.composer",
        defaults={"first_name": "Bench", "last_name": "Composer", "email": "bench@example.com"},
    )
    person.preferred_language = "en"
    person.set_password(PASSWORD)
    person.save()
    from governance.models import Charter
    from governance.services import charter_accept

    current = Charter.objects.filter(published_at__isnull=False).order_by("-version").first()
    if current is not None:
        charter_accept(user=person, charter=current)

    from playwright.sync_api import expect, sync_playwright

    base, server = _serve()
    opening: list[float] = []
    publishing: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        context = browser.new_context(base_url=base, locale="en-GB")
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(person.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_load_state()
        for run in range(args.runs + 1):  # the first run warms the caches: not counted
            title = f"Bench post {time.time_ns()}"
            started = time.perf_counter()
            page.goto("/")
            editor = page.get_by_test_id("composer-editor")
            expect(editor).to_be_visible()
            ready = time.perf_counter()
            page.get_by_test_id("composer").get_by_label("Title").fill(title)
            editor.click()
            page.keyboard.type("A short everyday post. Nothing more to say.")
            clicked = time.perf_counter()
            page.get_by_test_id("composer-publish").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(title)
            done = time.perf_counter()
            if run:
                opening.append(ready - started)
                publishing.append(done - clicked)
        browser.close()
    server.should_exit = True  # type: ignore[attr-defined]
    totals = [o + p for o, p in zip(opening, publishing, strict=True)]
    for name, values in (("open", opening), ("publish", publishing), ("total", totals)):
        print(
            f"{name:8} median {statistics.median(values) * 1000:6.0f} ms"
            f"   slowest {max(values) * 1000:6.0f} ms   ({len(values)} runs)"
        )


if __name__ == "__main__":
    main()
