"""Every audited action tells the truth: the entry's "before" is what the database held before
the write and its "after" what it holds after (issue 14, item 4).

Each case names the object, a reader of its state straight from the database, and the action.
The test reads the state, acts, reads it again, and compares with the one new audit entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse

from communities.models import AccessMode, Community, Membership, Role, Thread
from communities.services import (
    community_audit_state,
    community_role_set,
    member_remove,
    member_set_role,
    thread_delete,
    thread_lock,
    thread_pin,
)
from console.models import Report
from console.services import report_create, report_dismiss, report_hide, report_restore, role_set
from governance.models import AuditEntry, Charter
from governance.services import (
    charter_draft_save,
    charter_publish,
    content_hide,
    content_restore,
)
from interactions.models import Comment
from interactions.services import comment_delete
from metrics.models import MaturityCriteria
from metrics.services import criteria_audit_state, criteria_update
from people.models import User
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.factories import DepartmentFactory
from tests.governance.factories import CharterFactory

pytestmark = pytest.mark.django_db


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _fresh(obj: models.Model) -> models.Model:
    return type(obj)._base_manager.get(pk=obj.pk)


def moderation_state(obj: models.Model) -> dict[str, Any]:
    row = _fresh(obj)
    return {"hidden_at": row.hidden_at, "hidden_by": row.hidden_by_id, "reason": row.hidden_reason}


def report_state(report: Report) -> dict[str, Any]:
    row = Report.objects.get(pk=report.pk)
    return {f: getattr(row, f) for f in ("kind", "object_id", "status", "reason", "decision_note")}


def user_state(user: User) -> dict[str, Any]:
    row = User.objects.get(pk=user.pk)
    return {f: getattr(row, f) for f in ("is_executive", "is_community_manager")}


def membership_state(membership: Membership) -> dict[str, Any] | None:
    row = Membership.objects.filter(pk=membership.pk).first()
    return None if row is None else {"user": row.user_id, "role": row.role}


def thread_state(thread: Thread) -> dict[str, Any]:
    row = Thread.objects.get(pk=thread.pk)
    return {f: getattr(row, f) for f in ("pinned", "locked", "deleted_at")}


def comment_state(comment: Comment) -> dict[str, Any]:
    return {"deleted_at": Comment.objects.get(pk=comment.pk).deleted_at}


def charter_state(charter: Charter) -> dict[str, Any] | None:
    row = Charter.objects.filter(pk=charter.pk).first()
    if row is None:
        return None
    fields = ("version", "published_at", "title_fr", "title_en", "body_fr", "body_en")
    return {f: getattr(row, f) for f in fields}


@dataclass
class Case:
    action: str
    arrange: Callable[[dict[str, Any]], models.Model]  # the object whose state is compared
    act: Callable[[dict[str, Any], Any], None]
    state: Callable[[Any], dict[str, Any] | None]


def _reported(f: dict[str, Any], *, hidden: bool = False) -> Report:
    report, _ = report_create(
        reporter=f["employee"], kind="thread", object_id=f["thread"].pk, reason="spam"
    )
    if hidden:
        # The moderator's page was opened before someone else hid it: the copy is stale.
        stale = Report.objects.get(pk=report.pk)
        report_hide(moderator=f["administrator"], report=report, note="Publicité")
        return stale
    return report


def _hidden_thread(f: dict[str, Any]) -> Thread:
    content_hide(actor=f["manager"], obj=f["thread"], reason="Hors sujet")
    return f["thread"]


def _membership(f: dict[str, Any]) -> Membership:
    return Membership.objects.get(community=f["community"], user=f["employee"])


CASES = [
    Case(
        "thread.hidden",
        lambda f: f["thread"],
        lambda f, o: content_hide(actor=f["manager"], obj=o, reason="Hors sujet"),
        moderation_state,
    ),
    Case(
        "thread.restored",
        _hidden_thread,
        lambda f, o: content_restore(actor=f["manager"], obj=o),
        moderation_state,
    ),
    Case(
        "reply.hidden",
        lambda f: f["reply"],
        lambda f, o: content_hide(actor=f["manager"], obj=o, reason="Déplacé"),
        moderation_state,
    ),
    Case(
        "report.hidden",
        _reported,
        lambda f, o: report_hide(moderator=f["administrator"], report=o, note="Publicité"),
        report_state,
    ),
    Case(
        "report.dismissed",
        _reported,
        lambda f, o: report_dismiss(moderator=f["administrator"], report=o, note="Rien"),
        report_state,
    ),
    Case(
        "report.restored",
        lambda f: _reported(f, hidden=True),
        lambda f, o: report_restore(moderator=f["administrator"], report=o, note="Erreur"),
        report_state,
    ),
    Case(
        "role.granted",
        lambda f: f["employee"],
        lambda f, o: role_set(actor=f["administrator"], person=o, role="executive", granted=True),
        user_state,
    ),
    Case(
        "role.withdrawn",
        lambda f: f["executive"],
        lambda f, o: role_set(actor=f["administrator"], person=o, role="executive", granted=False),
        user_state,
    ),
    Case(
        "membership.role",
        _membership,
        lambda f, o: member_set_role(actor=f["manager"], membership=o, role=Role.MANAGER),
        membership_state,
    ),
    Case(
        "membership.role",  # the same write from the publishing-rights map
        _membership,
        lambda f, o: community_role_set(
            actor=f["administrator"], person=o.user, community_id=o.community_id, role="manager"
        ),
        membership_state,
    ),
    Case(
        "membership.removed",
        _membership,
        lambda f, o: member_remove(actor=f["manager"], membership=o),
        membership_state,
    ),
    Case(
        "thread.pinned",
        lambda f: f["thread"],
        lambda f, o: thread_pin(actor=f["manager"], thread=o, pinned=True),
        thread_state,
    ),
    Case(
        "thread.locked",
        lambda f: f["thread"],
        lambda f, o: thread_lock(actor=f["manager"], thread=o, locked=True),
        thread_state,
    ),
    Case(
        "thread.deleted",
        lambda f: f["thread"],
        lambda f, o: thread_delete(actor=f["colleague"], thread=o),
        thread_state,
    ),
    Case(
        "comment.deleted",
        lambda f: f["reply"],
        lambda f, o: comment_delete(actor=f["colleague"], comment=o),
        comment_state,
    ),
    Case(
        "charter.updated",
        lambda f: CharterFactory(version=7),
        lambda f, o: charter_draft_save(
            actor=f["administrator"],
            data={"title_fr": "Nouvelle", "title_en": "New", "body_fr": "B", "body_en": "B"},
            charter=o,
        ),
        charter_state,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.action + f"-{i}" for i, c in enumerate(CASES)])
def test_before_and_after_are_the_database_before_and_after(
    case, administrator, manager, employee, colleague, executive, community, thread, reply
):
    f = locals()
    target = case.arrange(f)
    db_before = _json(case.state(target))
    known = set(AuditEntry.objects.values_list("pk", flat=True))
    # A stale copy, changed in memory, must not leak into "before" (the form-bound instance
    # of issue 14 did).
    case.act(f, target)
    db_after = _json(case.state(target))
    entry = AuditEntry.objects.exclude(pk__in=known).get(action=case.action)
    assert entry.before is not None
    for key, value in entry.before.items():
        if key in db_before:
            assert value == db_before[key], key
    assert set(entry.before) & set(db_before)
    if db_after is None:
        assert entry.after is None
    else:
        assert entry.after is not None
        assert set(entry.after) & set(db_after)
        for key, value in entry.after.items():
            if key in db_after:
                assert value == db_after[key], key
    assert db_before != db_after


def test_charter_created_has_no_before_and_its_after_is_the_row(administrator):
    data = {"title_fr": "Charte", "title_en": "Charter", "body_fr": "B", "body_en": "B"}
    charter = charter_draft_save(actor=administrator, data=data)
    entry = AuditEntry.objects.get(action="charter.created")
    assert entry.before is None
    assert entry.after == _json(charter_state(charter))


def test_charter_published_names_the_version_it_replaces(administrator, charter):
    draft = CharterFactory(version=charter.version + 1)
    charter_publish(actor=administrator, charter=draft)
    entry = AuditEntry.objects.get(action="charter.published")
    assert entry.before == {"current_version": charter.version}
    assert entry.after == _json(charter_state(draft))


@pytest.mark.parametrize("path", ["service", "wagtail"])
def test_post_deleted_keeps_what_the_post_was(path, client, colleague):
    from blogs import services as blog_services

    post = blog_services.post_create(actor=colleague, title="À supprimer", body="x", publish=True)
    db_before = _json(blog_services.post_audit_state(type(post).objects.get(pk=post.pk)))
    if path == "service":
        blog_services.post_delete(actor=colleague, post=post)
    else:
        client.force_login(colleague)
        assert client.post(f"/admin/pages/{post.pk}/delete/").status_code == 302
    assert not type(post).objects.filter(pk=post.pk).exists()
    entry = AuditEntry.objects.get(action="post.deleted")
    assert entry.before == db_before
    assert entry.after is None


# --- Community edits: the form's instance carries the new values before the service runs -------


def test_switching_a_private_community_to_open_is_audited_with_the_old_access(client, manager):
    community = CommunityFactory(name="Cellule bad buzz", slug="bad-buzz", access="private")
    MembershipFactory(community=community, user=manager, role=Role.MANAGER)
    sales = DepartmentFactory(name="Ventes", slug="ventes")
    db_before = _json(community_audit_state(community))
    client.force_login(manager)
    response = client.post(
        reverse("communities:edit", args=[community.slug]),
        {
            "name": "Cellule bad buzz",
            "description": community.description,
            "access": AccessMode.OPEN,
            "departments": [sales.pk],
        },
    )
    assert response.status_code == 302
    db_after = _json(community_audit_state(Community.objects.get(pk=community.pk)))
    assert db_after["access"] == "open"
    entry = AuditEntry.objects.get(action="community.updated")
    assert entry.before == {"access": "private", "departments": []}
    assert entry.after == {"access": "open", "departments": [sales.pk]}
    assert {k: db_before[k] for k in entry.before} == entry.before
    assert {k: db_after[k] for k in entry.after} == entry.after


def test_every_setting_of_a_community_is_audited(manager):
    from communities.services import community_update

    community = CommunityFactory(name="Avant", slug="avant", description="d1")
    MembershipFactory(community=community, user=manager, role=Role.MANAGER)
    community.name = "already changed in memory"  # what a bound form does to its instance
    community_update(
        actor=manager, community=community, data={"name": "Après", "description": "d2"}
    )
    entry = AuditEntry.objects.get(action="community.updated")
    assert entry.before == {"name": "Avant", "description": "d1"}
    assert entry.after == {"name": "Après", "description": "d2"}


def test_saving_a_community_unchanged_writes_no_entry(manager):
    from communities.services import community_update

    community = CommunityFactory(name="Même", slug="meme")
    MembershipFactory(community=community, user=manager, role=Role.MANAGER)
    community_update(actor=manager, community=community, data={"name": "Même"})
    assert not AuditEntry.objects.filter(action="community.updated").exists()


# --- Maturity criteria --------------------------------------------------------------------------


def test_criteria_changes_are_audited_from_the_previous_values(administrator):
    MaturityCriteria.objects.create(testing_adoption=7)
    db_before = _json(criteria_audit_state(MaturityCriteria.objects.get()))
    criteria_update(actor=administrator, data={"testing_adoption": 12, "scaling_adoption": 40})
    entry = AuditEntry.objects.get(action="criteria.updated")
    assert entry.actor == administrator
    assert (
        entry.before
        == {"testing_adoption": db_before["testing_adoption"]}
        == {"testing_adoption": 7.0}
    )
    assert entry.after == {"testing_adoption": 12}
    assert entry.target_type == "metrics.maturitycriteria"


def test_criteria_saved_through_the_page_are_audited(client, administrator):
    from metrics.forms import CriteriaForm
    from metrics.stage import criteria_current

    form = CriteriaForm(instance=criteria_current())
    data = {name: form[name].value() for name in form.fields}
    data["empowered_adoption"] = 85
    client.force_login(administrator)
    response = client.post(reverse("metrics:criteria"), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="criteria.updated")
    assert entry.before == {"empowered_adoption": 80.0}
    assert entry.after == {"empowered_adoption": 85.0}


# --- Django admin -------------------------------------------------------------------------------


def _admin_change_data(client, user: User) -> dict[str, Any]:
    response = client.get(f"/django-admin/people/user/{user.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled or value is None or isinstance(field, forms.FileField):
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    for name in ("date_joined", "last_login"):
        data.pop(name, None)
    joined = user.date_joined
    data["date_joined_0"] = joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = joined.strftime("%H:%M:%S")
    return data


@pytest.mark.parametrize(
    ("flag", "action", "before", "after"),
    [
        ("is_executive", "role.granted", False, True),
        ("is_community_manager", "role.granted", False, True),
        ("is_superuser", "role.granted", False, True),
        ("is_staff", "role.granted", False, True),
        ("is_active", "account.deactivated", True, False),
    ],
)
def test_role_changes_in_the_django_admin_are_audited(
    client, administrator, employee, flag, action, before, after
):
    assert getattr(employee, flag) is before
    client.force_login(administrator)
    data = _admin_change_data(client, employee)
    if after:
        data[flag] = "on"
    else:
        data.pop(flag, None)
    response = client.post(f"/django-admin/people/user/{employee.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    employee.refresh_from_db()
    assert getattr(employee, flag) is after
    entry = AuditEntry.objects.get(action=action)
    assert entry.actor == administrator
    assert entry.target_id == str(employee.pk)
    assert entry.before == {flag: before}
    assert entry.after == {flag: after}
    assert AuditEntry.objects.count() == 1


def test_staff_who_are_not_administrators_cannot_change_roles_in_the_admin(client, employee):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    staff = UserFactory(username="staff.person", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_user", "view_user"])
    )
    client.force_login(staff)
    response = client.get(f"/django-admin/people/user/{employee.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    for flag in ("is_superuser", "is_staff", "is_active", "is_executive"):
        assert flag not in form.fields
