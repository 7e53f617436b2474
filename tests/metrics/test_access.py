"""Who sees which figures, through every view and the CSV export (metrics.permissions)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import AdminFactory, UserFactory


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


@pytest.fixture
def admin(db):
    return AdminFactory(username="root")


def test_administrator_sees_the_organisation_with_every_table(client, rolled, admin):
    response = get(client, admin, "metrics:dashboard")
    assert response.status_code == 200
    html = response.content.decode()
    for key in (
        "stage_path",
        "adoption_curve",
        "criteria",
        "summary",
        "departments",
        "matrix",
        "communities",
        "leaders",
        "segments",
        "cohorts",
    ):
        assert f'data-testid="table-{key}"' in html, key
    assert 'role="img"' in html
    assert 'data-testid="stage"' in html


def test_the_organisation_dashboard_runs_a_bounded_number_of_queries(
    client, rolled, admin, django_assert_max_num_queries
):
    client.force_login(admin)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("metrics:dashboard")).status_code == 200


@pytest.mark.parametrize(
    "table", ["departments", "leaders", "matrix", "summary", "adoption_curve", "cohorts"]
)
def test_administrator_exports_every_table_as_csv(client, rolled, admin, table):
    response = get(client, admin, "metrics:export", "organisation", table)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = _body(response).strip().splitlines()
    assert len(lines) >= 2


def test_departments_csv_holds_the_hand_computed_numbers(client, rolled, admin):
    response = get(client, admin, "metrics:export", "organisation", "departments")
    rows = [line.split(",") for line in _body(response).strip().splitlines()]
    alpha = next(r for r in rows if r[0] == "Alpha")
    # population, reached, engaged, contributors, adoption
    assert alpha[1:6] == ["3", "2", "2", "1", "66.67"]


def _body(response) -> str:
    """The CSV downloads are streamed (core.exports)."""
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_employee_sees_no_metrics_at_all(client, rolled):
    for name, args in [
        ("metrics:dashboard", ()),
        ("metrics:report", ("organisation",)),
        ("metrics:report", (f"department-{rolled.a.pk}",)),
        ("metrics:report", (f"leader-{rolled.a1.pk}",)),
        ("metrics:report", ("communities",)),
        ("metrics:export", ("organisation", "departments")),
        ("metrics:export", (f"department-{rolled.a.pk}", "summary")),
        ("metrics:criteria", ()),
    ]:
        assert get(client, rolled.a3, name, *args).status_code == 404, name


def test_department_head_sees_their_department_only_in_aggregate(client, rolled):
    head = rolled.a2  # head of Alpha (3 people: fewer than 5)
    response = get(client, head, "metrics:dashboard")
    assert response.status_code == 200
    html = response.content.decode()
    assert "fewer than 5 people" in html
    assert 'data-testid="table-departments"' not in html
    assert 'data-testid="table-leaders"' not in html
    # Not the organisation, not another department, not a person.
    assert get(client, head, "metrics:report", "organisation").status_code == 404
    assert get(client, head, "metrics:report", f"department-{rolled.b.pk}").status_code == 404
    assert get(client, head, "metrics:report", f"leader-{rolled.a1.pk}").status_code == 404
    assert get(client, head, "metrics:export", "organisation", "leaders").status_code == 404
    assert (
        get(client, head, "metrics:export", f"department-{rolled.b.pk}", "summary").status_code
        == 404
    )


def test_department_head_of_a_large_department_sees_kpi_trend_and_comparison(client, rolled):
    from datetime import timedelta

    from metrics.services import metrics_refresh
    from tests.metrics.factories import joined_long_ago

    extra = [UserFactory(department=rolled.a) for _ in range(2)]
    joined_long_ago(*extra)
    metrics_refresh(since=rolled.day - timedelta(days=1), until=rolled.day)
    response = get(client, rolled.a2, "metrics:dashboard")
    html = response.content.decode()
    assert 'data-testid="facts"' in html
    assert 'data-testid="table-department_curve"' in html
    export = get(client, rolled.a2, "metrics:export", f"department-{rolled.a.pk}", "summary")
    assert export.status_code == 200
    assert "Population,5" in _body(export)


def test_executive_sees_their_own_reach_not_others(client, rolled):
    from tests.factories import ExecutiveFactory

    other = ExecutiveFactory(username="other.exec", department=rolled.b)
    response = get(client, rolled.a1, "metrics:dashboard")
    html = response.content.decode()
    assert f'data-testid="report-leader-{rolled.a1.pk}"' in html
    # Reach of 2 is a group smaller than 5: not shown as a number to the executive.
    assert "fewer than 5" in html
    assert get(client, rolled.a1, "metrics:report", f"leader-{other.pk}").status_code == 404
    assert get(client, rolled.a1, "metrics:report", "organisation").status_code == 404


def test_administrator_sees_a_leader_exact_reach(client, rolled, admin):
    response = get(client, admin, "metrics:export", f"leader-{rolled.a1.pk}", "reach")
    assert response.status_code == 200
    assert _body(response).strip().splitlines()[-1].endswith(",2")


def test_community_manager_sees_communities_in_aggregate_only_when_large_enough(client, rolled):
    manager = UserFactory(username="cm", is_community_manager=True, department=rolled.b)
    response = get(client, manager, "metrics:report", "communities")
    assert response.status_code == 200
    assert get(client, manager, "metrics:report", "organisation").status_code == 404
    assert get(client, manager, "metrics:report", f"leader-{rolled.a1.pk}").status_code == 404


def test_unknown_table_or_scope_is_404(client, rolled, admin):
    assert get(client, admin, "metrics:export", "organisation", "nope").status_code == 404
    assert get(client, admin, "metrics:report", "department-999999").status_code == 404
    assert get(client, admin, "metrics:report", "bogus").status_code == 404


def test_anonymous_is_sent_to_log_in(client, rolled):
    response = client.get(reverse("metrics:export", args=["organisation", "departments"]))
    assert response.status_code == 302


def test_community_manager_sees_only_the_communities_they_run(client, db):
    from datetime import timedelta

    from django.utils import timezone

    from activity.models import Verb
    from communities.models import Community, Membership
    from metrics.services import metrics_refresh
    from tests.metrics.factories import at, event, joined_long_ago

    day = timezone.localdate() - timedelta(days=1)
    now = timezone.now()
    manager = UserFactory(username="cm", is_community_manager=True)
    mine = Community.objects.create(
        name="Clients first", slug="clients-first", created_at=now, last_activity_at=now
    )
    tiny = Community.objects.create(
        name="Tiny club", slug="tiny-club", created_at=now, last_activity_at=now
    )
    theirs = Community.objects.create(
        name="Not mine", slug="not-mine", created_at=now, last_activity_at=now
    )
    for community in (mine, tiny):
        Membership.objects.create(community=community, user=manager, role="manager", created_at=now)
    members = [UserFactory() for _ in range(6)]
    joined_long_ago(manager, *members)
    for n, person in enumerate(members):
        community = mine if n < 5 else tiny
        event(
            person,
            Verb.JOINED,
            at(day - timedelta(days=3)),
            community_id=community.pk,
            object_type="communities.community",
            object_id=community.pk,
        )
        event(person, Verb.REACTED, at(day - timedelta(days=2)), community_id=community.pk)
    event(
        members[0],
        Verb.JOINED,
        at(day - timedelta(days=3)),
        community_id=theirs.pk,
        object_type="communities.community",
        object_id=theirs.pk,
    )
    metrics_refresh(since=day - timedelta(days=5), until=day)

    response = get(client, manager, "metrics:report", "communities")
    html = response.content.decode()
    assert "Clients first" in html
    assert "Tiny club" not in html  # fewer than 5 members: only in the total
    assert "Not mine" not in html
    export = get(client, manager, "metrics:export", "communities", "communities_total")
    # 2 communities, 6 distinct members, 6 engaged this month.
    assert _body(export).strip().splitlines()[1].startswith("2,6,6,100.00")


def test_recompute_now_is_for_administrators(
    client, org, admin, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from metrics.models import RolledDay

    client.force_login(org.a2)
    assert client.post(reverse("metrics:refresh")).status_code == 404
    assert not RolledDay.objects.exists()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("metrics:refresh"))
    assert response.status_code == 302
    # The queued task rolled up every pending day, today included.
    assert RolledDay.objects.filter(day=timezone.localdate()).exists()
    assert client.get(reverse("metrics:refresh")).status_code == 405


def test_department_page_runs_a_bounded_number_of_queries(
    client, rolled, admin, django_assert_max_num_queries
):
    client.force_login(admin)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("metrics:report", args=[f"department-{rolled.a.pk}"]))
    assert response.status_code == 200


def test_only_month_ends_and_the_latest_day_keep_community_snapshots(rolled):
    from datetime import timedelta

    from metrics.models import CommunitySnapshot
    from metrics.services import metrics_refresh
    from metrics.snapshots import is_month_end

    metrics_refresh(until=rolled.day + timedelta(days=1))
    days = set(CommunitySnapshot.objects.values_list("day", flat=True))
    assert rolled.day + timedelta(days=1) in days
    assert all(is_month_end(d) for d in days - {rolled.day + timedelta(days=1)})


def test_a_community_named_like_a_formula_is_exported_as_text(client, rolled, admin):
    """Any employee may name a community: its name reaches the administrators' spreadsheet as
    text, never as a formula (core.exports neutralises it); numbers stay numbers."""
    from tests.communities.factories import CommunityFactory

    # The fixture's events happened in community 7: give it a hostile name.
    CommunityFactory(pk=7, slug="formule", name='=HYPERLINK("https://evil.example","clic")')
    body = _body(get(client, admin, "metrics:export", "organisation", "communities"))
    assert "=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    assert "'=HYPERLINK" in body


def test_durations_are_exported_in_hours_and_minutes(client, rolled, admin):
    """The executive answered b1's comment 22 hours later; b1 answered b2's thread after six
    hours: the spreadsheet reads hours and minutes, not a number of seconds."""
    leaders = list(
        csv.reader(
            io.StringIO(_body(get(client, admin, "metrics:export", "organisation", "leaders")))
        )
    )
    column = leaders[0].index("Median time to answer")
    assert [row[column] for row in leaders[1:]] == ["22 h 00 min"]
    summary = dict(
        csv.reader(
            io.StringIO(_body(get(client, admin, "metrics:export", "organisation", "summary")))
        )
    )
    assert summary["Median time to first reply"] == "6 h 00 min"


def test_csv_opens_in_french_excel(client, rolled, admin):
    """A BOM first (Excel then reads UTF-8), headers and durations in the reader's language."""
    admin.preferred_language = "fr"
    admin.save()
    response = get(client, admin, "metrics:export", "organisation", "leaders")
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[0] == "Dirigeant"
    assert "Temps médian de réponse" in header
