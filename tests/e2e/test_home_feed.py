"""The home feed in a browser: "Load more" appends the next page without a reload (the plain
link is the fallback), and what is new since the last visit is marked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from blogs import services
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_load_more_appends_without_reload(new_page, employee, colleague, password):
    for n in range(20):
        services.post_create(actor=colleague, title=f"Billet {n}", body="Texte.", publish=True)
    page = new_page()
    log_in(page, employee.username, password)
    page.goto("/")
    cards = page.get_by_test_id("post-card")
    expect(cards).to_have_count(15)
    page.evaluate("window.__notReloaded = true")
    page.get_by_role("link", name="Load more").click()
    expect(cards).to_have_count(20)
    assert page.evaluate("window.__notReloaded") is True  # the same document
    assert "page=" not in page.url  # still the home page's address
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)

    services.post_create(actor=colleague, title="Tout neuf", body="Texte.", publish=True)
    page.reload()
    expect(page.locator(".feed-unseen")).to_have_count(1)
    expect(page.locator(".feed-unseen")).to_contain_text("Tout neuf")
