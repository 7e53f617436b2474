"""The people picker and @-mention autocomplete in Chromium, with the keyboard only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blogs import services
from blogs.models import Delegation
from tests.e2e.conftest import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def sophie(db):
    return UserFactory(
        username="sophie.laurent",
        first_name="Sophie",
        last_name="Laurent",
        job_title="Responsable de communauté",
    )


def test_an_executive_chooses_a_delegate_by_name(new_page, executive, sophie, password):
    page = new_page()
    log_in(page, executive.username, password)
    page.goto(reverse("blogs:delegates"))
    box = page.get_by_role("combobox", name="Your delegate")
    box.fill("Sophie")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option", name="Sophie Laurent")).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    box.press("Enter")
    expect(box).to_have_value("Sophie Laurent")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert page.locator("input[type=hidden][name=username]").input_value() == "sophie.laurent"
    page.get_by_role("button", name="Add this delegate").click()
    expect(page.locator(".messages")).to_contain_text("Your delegate may now prepare drafts")
    assert Delegation.objects.filter(executive=executive, delegate=sophie).exists()


def test_escape_closes_and_a_typed_full_name_still_works(new_page, executive, sophie, password):
    page = new_page()
    log_in(page, executive.username, password)
    page.goto(reverse("blogs:delegates"))
    box = page.get_by_role("combobox", name="Your delegate")
    box.fill("Sophie Laurent")
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_role("button", name="Add this delegate").click()
    expect(page.locator(".messages")).to_contain_text("Your delegate may now prepare drafts")
    assert Delegation.objects.filter(executive=executive, delegate=sophie).exists()


def test_typing_at_offers_colleagues_in_a_comment(new_page, employee, sophie, password):
    post = services.post_create(actor=employee, title="Un billet", body="Texte.", publish=True)
    page = new_page()
    log_in(page, employee.username, password)
    page.goto(post.url)
    comment = page.get_by_label("Your comment")
    comment.click()
    comment.press_sequentially("Merci @soph")
    option = page.get_by_role("option", name="Sophie Laurent")
    expect(option).to_be_visible()
    comment.press("ArrowDown")
    comment.press("Enter")
    expect(comment).to_have_value("Merci @sophie.laurent ")
    expect(page.get_by_role("listbox")).to_be_hidden()
