"""An administrator reads the maturity dashboard and tries an invalid threshold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activity.models import Verb
from metrics.services import metrics_refresh
from tests.e2e.conftest import log_in
from tests.factories import AdminFactory, DepartmentFactory, UserFactory
from tests.metrics.factories import at, event, joined_long_ago

pytestmark = pytest.mark.e2e


def test_administrator_reads_the_stage_and_a_refused_threshold_keeps_the_criteria(
    new_page, password
):
    day = timezone.localdate() - timedelta(days=1)
    department = DepartmentFactory(name="Ventes", slug="ventes")
    people = [UserFactory(department=department) for _ in range(6)]
    admin = AdminFactory(username="root", department=department)
    joined_long_ago(admin, *people)
    for person in people[:3]:
        event(person, Verb.COMMENTED, at(day - timedelta(days=2)), target=people[5])
    metrics_refresh(since=day - timedelta(days=5), until=day)

    page = new_page()
    log_in(page, admin.username, password)
    page.get_by_role("link", name="Metrics").click()
    expect(page.get_by_role("heading", name="Adoption and maturity")).to_be_visible()
    # Three of seven engaged, but no blog or community active yet: still Dormant.
    expect(page.get_by_test_id("stage")).to_have_text("Dormant")
    expect(page.get_by_test_id("missing")).to_contain_text(
        "1 more blog or community needs activity"
    )
    expect(page.get_by_role("img", name="Adoption curve")).to_be_visible()
    expect(page.get_by_test_id("table-departments")).to_contain_text("Ventes")

    page.get_by_role("link", name="Maturity criteria").first.click()
    field = page.get_by_label("Empowered: adoption rate (%)")
    field.fill("150")
    page.get_by_role("button", name="Save the criteria").click()
    expect(page.get_by_text("the previous ones stay in force")).to_be_visible()
    expect(page.get_by_text("Enter a percentage between 0 and 100.").first).to_be_visible()
    expect(page.get_by_label("Empowered: adoption rate (%)")).to_have_value("150")
