"""Journey: an executive publishes a must-read announcement from the form; it is pinned on a
colleague's home until they say they have read it; the executive sees the acknowledgement.
Then a scheduled one is changed and cancelled before anyone receives it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def readers(db):
    from tests.factories import DepartmentFactory, UserFactory

    sales = DepartmentFactory(name="Ventes", slug="ventes")
    return [UserFactory(username=f"reader{i}", department=sales) for i in range(5)]


def test_publish_pin_acknowledge_then_the_rate(new_page, executive, readers, password):
    writer = new_page()
    log_in(writer, executive.username, password)
    writer.goto("/announcements/new/")
    writer.get_by_label("Title").fill("Nouveaux horaires du restaurant")
    writer.get_by_label("Text").fill("Le restaurant ouvre à 11 h 30 à partir de lundi.")
    writer.get_by_role("button", name="Publish").click()
    expect(writer).to_have_url(re.compile(r"/announcements/\d+/acknowledgements/"))
    expect(writer.get_by_test_id("rates")).to_contain_text("0")

    reader = new_page()
    log_in(reader, readers[0].username, password)
    reader.goto("/")
    pinned = reader.get_by_test_id("pinned-announcement")
    expect(pinned).to_contain_text("Nouveaux horaires du restaurant")
    pinned.get_by_role("button", name="I have read it").click()
    expect(reader).to_have_url(re.compile(r"/$"))
    expect(reader.get_by_test_id("pinned-announcement")).to_have_count(0)

    writer.reload()
    # Five recipients in one department: 1 of 5 read it, 20 %.
    expect(writer.get_by_test_id("rates").locator("tfoot")).to_contain_text("20 %")


def test_a_scheduled_one_is_changed_then_cancelled(new_page, executive, readers, password):
    page = new_page()
    log_in(page, executive.username, password)
    page.goto("/announcements/new/")
    page.get_by_label("Title").fill("Séminaire de printemps")
    page.get_by_label("Text").fill("Réservez la date.")
    page.get_by_label("Publish on").fill("2030-03-02T09:00")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_test_id("scheduled-actions")).to_be_visible()

    page.get_by_role("link", name="Change it").click()
    expect(page.get_by_label("Title")).to_have_value("Séminaire de printemps")
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save the changes").click()
    # Refused: the text typed is still there, the title is asked for.
    expect(page.get_by_label("Text")).to_have_value("Réservez la date.")
    page.get_by_label("Title").fill("Séminaire de printemps : nouvelle date")
    page.get_by_label("Publish on").fill("2030-03-09T09:00")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("The announcement has been changed.")).to_be_visible()

    page.get_by_role("button", name="Cancel the announcement").click()
    expect(page.get_by_text("The scheduled announcement has been cancelled.")).to_be_visible()
    expect(page.get_by_text("Séminaire de printemps")).to_have_count(0)

    reader = new_page()
    log_in(reader, readers[0].username, password)
    reader.goto("/")
    expect(reader.get_by_test_id("pinned-announcement")).to_have_count(0)
