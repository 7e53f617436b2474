"""First journey: log in, switch to French, edit your own profile, see it on your profile page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_log_in_switch_to_french_and_edit_own_profile(new_page, employee, password):
    page = new_page()
    log_in(page, employee.username, password)
    expect(page.get_by_role("link", name="People")).to_be_visible()

    page.get_by_test_id("language-fr").click()
    expect(page.get_by_role("link", name="Personnes")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("link", name=employee.name).first.click()
    page.get_by_role("link", name="Modifier le profil").click()
    page.get_by_label("Intitulé de poste").fill("Cheffe de projet numérique")
    page.get_by_label("Pourquoi je suis ici").fill("Relier les équipes autour des clients.")
    page.get_by_role("button", name="Enregistrer le profil").click()

    expect(page).to_have_url(re.compile(rf"/people/{employee.username}/$"))
    expect(page.get_by_text("Profil enregistré.")).to_be_visible()
    expect(page.get_by_text("Cheffe de projet numérique")).to_be_visible()
    expect(page.get_by_text("Relier les équipes autour des clients.")).to_be_visible()
    # The choice follows the person: it is stored on the profile.
    employee.refresh_from_db()
    assert employee.preferred_language == "fr"
    assert employee.job_title == "Cheffe de projet numérique"


def test_profile_page_shows_a_colleague_online_live(new_page, employee, colleague, password):
    watcher = new_page()
    log_in(watcher, employee.username, password)
    watcher.goto(f"/people/{colleague.username}/")
    presence = watcher.locator(f"[data-presence-of='{colleague.pk}']")
    expect(presence).to_contain_text("Offline")

    other = new_page()
    log_in(other, colleague.username, password)
    expect(presence).to_contain_text("Online now")

    other.context.close()
    expect(presence).to_contain_text("Offline")
