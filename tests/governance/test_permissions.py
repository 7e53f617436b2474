"""Every rule of governance.permissions (kernel) and console.permissions, for every role: the
places the pages, the admin, the .ics feed and the CSV export ask."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from console import permissions as c
from console.models import Report
from governance import permissions as p

pytestmark = pytest.mark.django_db

ROLES = ["employee", "manager", "executive", "administrator", "inactive", "anonymous"]

# rule -> the roles for which it holds (manager = manager of the `community` fixture)
EXPECTED = {
    "can_manage_charter": {"administrator"},
    "can_accept_charter": {"employee", "manager", "executive", "administrator"},
    "can_view_audit_log": {"administrator"},
    "can_view_rights_map": {"administrator"},
    "can_change_rights": {"administrator"},
    "can_report": {"employee", "manager", "executive", "administrator"},
    "can_view_moderation_queue": {"manager", "administrator"},
    "can_view_calendar": {"employee", "manager", "executive", "administrator"},
    "can_answer_questionnaire": {"executive", "administrator"},
    "can_view_questionnaire_summary": {"executive", "administrator"},
    "can_view_in_admin": {"administrator"},
}


@pytest.fixture
def people(request, community):
    from tests.factories import UserFactory

    inactive = UserFactory(username="ines.inactive", is_active=False, is_superuser=True)
    resolved = {
        role: request.getfixturevalue(role)
        for role in ("employee", "manager", "executive", "administrator")
    }
    resolved["inactive"] = inactive  # even a deactivated administrator has no right
    resolved["anonymous"] = AnonymousUser()
    return resolved


KERNEL_RULES = {
    "can_manage_charter",
    "can_accept_charter",
    "can_view_audit_log",
    "can_view_in_admin",
}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_for_every_role(people, rule):
    check = getattr(p if rule in KERNEL_RULES else c, rule)
    allowed = {role for role in ROLES if check(people[role])}
    assert allowed == EXPECTED[rule]


def test_report_decisions_follow_the_community(people, community):
    inside = Report(community_id=community.pk)
    outside = Report(community_id=community.pk + 1000)
    blog = Report(community_id=None)
    decide = {
        name: (c.can_moderate_report(people[name], inside),
               c.can_moderate_report(people[name], outside),
               c.can_moderate_report(people[name], blog))
        for name in ROLES
    }  # fmt: skip
    assert decide["manager"] == (True, False, False)
    assert decide["administrator"] == (True, True, True)
    assert decide["employee"] == decide["executive"] == (False, False, False)
    assert decide["inactive"] == decide["anonymous"] == (False, False, False)


def test_access_functions_answer_404_not_403(people, community, charter):
    report = Report.objects.create(
        reporter=people["employee"], kind="thread", object_id=1, reason="spam",
        community_id=community.pk + 1000,
    )  # fmt: skip
    with pytest.raises(Http404):
        c.access_report(people["manager"], report.pk)
    with pytest.raises(Http404):
        c.access_report(people["administrator"], report.pk + 999)
    assert c.access_report(people["administrator"], report.pk) == report
    with pytest.raises(Http404):
        p.access_charter_for_edit(people["employee"], charter.pk)
    with pytest.raises(Http404):
        c.access_questionnaire_response(people["employee"], 1)
