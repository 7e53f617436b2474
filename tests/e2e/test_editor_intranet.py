"""Wagtail's editor as part of the intranet, in Chromium: an employee opens the editor of their
post; every request the page makes (documents, scripts, styles, fonts, images, XHR) goes to
Ruche itself, never to another host (Gravatar, Wagtail's release server, font services)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blogs import services
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_the_editor_asks_nothing_of_another_host(new_page, live_server_url, employee, password):
    post = services.post_create(
        actor=employee, title="Un billet à relire", body="Du texte.", publish=True
    )
    page = new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, employee.username, password)
    page.goto(reverse("wagtailadmin_pages:edit", args=(post.pk,)))
    page.wait_for_load_state("networkidle")
    assert page.title().endswith("Ruche")
    expect(page.get_by_role("link", name="Back to Ruche")).to_have_attribute("href", "/")
    # The image chooser too: the first thing a writer opens.
    page.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name="Image").click()
    page.get_by_role("button", name="Choose an image").click()
    expect(page.get_by_role("dialog").get_by_role("tab", name="Search")).to_be_visible()
    page.wait_for_load_state("networkidle")

    ours = urlsplit(live_server_url).netloc
    elsewhere = [
        url
        for url in requested
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and urlsplit(url).netloc != ours
    ]
    assert requested, "no request was recorded"
    assert elsewhere == []
