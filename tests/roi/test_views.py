"""The worksheet pages: who may see them (404 for everyone else), the form's refusals keep
what was typed and write nothing, the printable page, the CSV, French and English, and the
query budgets, flat as the history grows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from roi.models import WorksheetVersion
from tests.factories import ExecutiveFactory, UserFactory
from tests.metrics.factories import Verb, at, event
from tests.roi.conftest import ASSUMPTIONS, save

pytestmark = pytest.mark.django_db

PAGES = ["/roi/", "/roi/edit/", "/roi/history/", "/roi/print/", "/roi/worksheet.csv"]


def form_data(**changes):
    data = {f"a-{k}": str(v) for k, v in ASSUMPTIONS.items()}
    data["a-note"] = "Estimation du comité"
    for prefix in ("cost", "benefit", "intangible"):
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(
        {
            "cost-0-label": "Hébergement",
            "cost-0-amount": "120",
            "cost-0-period": "month",
            "benefit-TOTAL_FORMS": "0",
            "intangible-0-label": "Les silos se parlent",
        }
    )
    data.update(changes)
    return data


@pytest.mark.parametrize("page", PAGES)
def test_employees_and_visitors_find_nothing(client, admin, page):
    save(admin)
    assert client.get(page).status_code in (302, 404)  # anonymous: the log-in page or 404
    client.force_login(UserFactory(username="someone"))
    assert client.get(page).status_code == 404
    assert client.post("/roi/edit/", form_data(**{"a-hourly_cost": "99"})).status_code == 404
    assert WorksheetVersion.objects.count() == 1


@pytest.mark.parametrize("page", PAGES)
def test_administrators_and_executives_see_every_page(client, admin, page):
    save(admin)
    for person in (admin, ExecutiveFactory(username="ceo")):
        client.force_login(person)
        assert client.get(page).status_code == 200


def test_an_executive_saves_a_new_version_through_the_form(client, admin):
    executive = ExecutiveFactory(username="ceo")
    client.force_login(executive)
    response = client.post("/roi/edit/", form_data(), follow=True)
    assert response.redirect_chain[-1][0] == "/roi/"
    version = WorksheetVersion.objects.get()
    assert version.author == executive and version.note == "Estimation du comité"
    assert [line.label for line in version.lines.all()] == ["Hébergement", "Les silos se parlent"]
    history = client.get("/roi/history/").content.decode()
    assert "Estimation du comité" in history


@pytest.mark.parametrize(
    ("field", "value"),
    [("a-hourly_cost", "-3"), ("a-minutes_per_answer", "beaucoup"), ("cost-0-amount", "-120")],
)
def test_bad_input_keeps_what_was_typed_and_writes_nothing(client, admin, field, value):
    client.force_login(admin)
    response = client.post("/roi/edit/", form_data(**{field: value, "a-note": "Mon essai"}))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{value}"' in page and 'value="Mon essai"' in page
    assert 'class="error"' in page
    assert not WorksheetVersion.objects.exists()


def test_a_refusal_of_the_service_shows_on_the_form(client, admin):
    save(admin, lines=[])
    client.force_login(admin)
    data = form_data()
    data.update({"cost-TOTAL_FORMS": "0", "intangible-TOTAL_FORMS": "0"})
    response = client.post("/roi/edit/", data)  # the same values as version 1
    assert response.status_code == 200
    assert "Nothing changed: no new version was written." in response.content.decode()
    assert WorksheetVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?start=2026-03-10&end=2026-03-01", "before its start"),
        ("?start=2026-03-01&end=pas-une-date", "valid date"),
        ("?start=2020-01-01&end=2999-01-01", "in the future"),
        ("?start=2026-01-01&end=2026-01-31&compare_start=2025-01-01", "or neither"),
    ],
)
def test_a_bad_period_says_why_and_keeps_the_dates(client, admin, query, message):
    save(admin)
    client.force_login(admin)
    page = client.get(f"/roi/{query}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert message in page
    assert 'data-testid="roi-costs"' not in page
    start = query.split("start=")[1].split("&")[0]
    assert f'value="{start}"' in page


def test_the_page_marks_measured_figures_and_assumptions_in_both_languages(client, history, admin):
    save(admin)
    client.force_login(admin)
    start, end = history.day - timedelta(days=9), history.day
    query = f"?start={start}&end={end}"
    admin.preferred_language = "en"
    admin.save()
    english = client.get(f"/roi/{query}").content.decode()
    assert "measured × assumption" in english and "What the platform measured" in english
    assert "2 × 30.00 min ÷ 60 × 50.00 EUR/h" in english
    admin.preferred_language = "fr"
    admin.save()
    french = client.get(f"/roi/{query}").content.decode()
    assert "Ce que la plateforme a mesuré" in french and "hypothèse" in french
    assert "2 × 30,00 min ÷ 60 × 50,00 EUR/h" in french


def test_printable_view_has_no_navigation_and_a_print_stylesheet(client, history, admin):
    save(admin)
    client.force_login(admin)
    page = client.get("/roi/print/").content.decode()
    assert "roi/print.css" in page and 'data-testid="roi-costs"' in page
    assert "site-header" not in page and "<nav" not in page


def test_csv_has_the_same_numbers_and_is_formula_safe(client, history, admin):
    save(admin, lines=[])
    from roi.models import LineKind, Period
    from roi.services import LineInput

    save(admin, lines=[LineInput(LineKind.COST, "=HYPERLINK(1)", Decimal("365"), Period.YEAR)])
    client.force_login(admin)
    start, end = history.day - timedelta(days=9), history.day
    response = client.get(f"/roi/worksheet.csv?start={start}&end={end}")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert ",10.00," in text  # 365 a year × 10 ÷ 365 days
    assert "50.00" in text  # the answered questions line


def _grow(history, times: int) -> None:
    """`times` more threads answered across departments, and views of the executive."""
    from metrics.services import metrics_refresh

    for n in range(times):
        thread = {"object_type": "communities.thread", "object_id": 100 + n, "community_id": 7}
        when = at(history.day - timedelta(days=2), 9)
        event(history.b1, Verb.STARTED_THREAD, when, **thread)
        event(history.a2, Verb.REPLIED, when + timedelta(hours=1), target=history.b1, **thread)
    metrics_refresh(since=history.day - timedelta(days=3), until=history.day)


@pytest.mark.parametrize("page", ["/roi/", "/roi/print/", "/roi/history/", "/roi/edit/"])
def test_query_budget_is_flat_as_the_history_grows(
    client, history, admin, django_assert_max_num_queries, page
):
    for n in range(3):
        save(admin, note=f"v{n}", hourly_cost=Decimal(50 + n))
    client.force_login(admin)
    client.get(page)  # the first page of a session fills per-person caches (notifications)
    with django_assert_max_num_queries(15) as small:
        assert client.get(page).status_code == 200
    _grow(history, 10)
    for n in range(30):
        save(admin, note=f"w{n}", hourly_cost=Decimal(60 + n))
    client.get(page)
    with django_assert_max_num_queries(15) as large:
        assert client.get(page).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_no_version_yet_invites_to_enter_assumptions(client, admin):
    client.force_login(admin)
    page = client.get("/roi/").content.decode()
    assert 'data-testid="roi-empty"' in page
