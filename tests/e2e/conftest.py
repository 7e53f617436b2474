"""End-to-end fixtures: Ruche's ASGI application (HTTP and websockets) served by uvicorn in a
thread, and Debian's Chromium driven by Playwright.

Playwright cannot download its own browser here: it drives /usr/bin/chromium (apt-get install
chromium). Without it, the e2e tests are skipped with that reason.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the test still talks to the
# database synchronously between browser steps, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("RUCHE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def _asgi_server(django_db_setup, django_db_blocker) -> Iterator[str]:
    import uvicorn

    from ruche.asgi import application

    port = _free_port()
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    with django_db_blocker.unblock():
        thread = threading.Thread(target=server.run, name="asgi-live-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the ASGI live server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server_url(django_db_serialized_rollback, transactional_db, _asgi_server) -> str:
    """Base URL of the running ASGI server; the test's data is committed, so it sees it.

    Serialized rollback puts back what migrations created (the Wagtail page tree and the
    home page) after each test flushes the tables.
    """
    from django.contrib.contenttypes.models import ContentType

    # The flush and restore may give content types other ids than this process cached.
    ContentType.objects.clear_cache()
    return _asgi_server


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server_url) -> Iterator[Callable]:
    """Factory of pages, each in its own browser context (its own cookies: its own person)."""
    contexts = []

    def make(locale: str = "en-GB"):
        context = browser.new_context(base_url=live_server_url, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, username: str, password: str) -> None:
    """Sign in through the real login form."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").or_(page.get_by_label("Identifiant")).fill(username)
    page.get_by_label("Password").or_(page.get_by_label("Mot de passe")).fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
