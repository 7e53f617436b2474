"""The audit log: append-only for everyone, through every path."""

from __future__ import annotations

import pytest

from governance.models import AppendOnlyError, AuditEntry
from governance.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_record_copies_who_what_and_the_target(administrator, employee):
    entry = audit_record(
        actor=administrator,
        action="role.granted",
        target=employee,
        before={"is_executive": False},
        after={"is_executive": True},
    )
    entry.refresh_from_db()
    assert entry.actor == administrator
    assert entry.actor_label == str(administrator)
    assert entry.target_type == "people.user"
    assert entry.target_id == str(employee.pk)
    assert entry.target_label == str(employee)
    assert entry.after == {"is_executive": True}
    assert entry.created_at is not None


def test_an_entry_cannot_be_changed_or_deleted(administrator):
    entry = audit_record(actor=administrator, action="charter.published")
    entry.action = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.action == "charter.published"


def test_deleting_an_account_keeps_its_history(administrator, employee):
    audit_record(actor=employee, action="post.deleted", target=administrator)
    employee_id, name = employee.pk, str(employee)
    employee.delete()
    entry = AuditEntry.objects.select_related("actor").get()
    assert entry.actor is None
    assert entry.actor_label == name
    assert entry.actor_id == employee_id
