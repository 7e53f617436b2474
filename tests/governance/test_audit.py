"""The audit log: append-only for everyone, through every path."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

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


# --- Pages, CSV and the Django admin ----------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_log_is_for_administrators_only(client, employee, executive, administrator):
    audit_record(actor=administrator, action="role.granted", target=employee)
    for person in (employee, executive):
        client.force_login(person)
        assert client.get(reverse("governance:audit_log")).status_code == 404
        assert client.get(reverse("governance:audit_log_csv")).status_code == 404
    client.force_login(administrator)
    assert client.get(reverse("governance:audit_log")).status_code == 200


def test_search_and_filter(client, administrator, employee, colleague):
    audit_record(actor=administrator, action="role.granted", target=employee)
    audit_record(actor=administrator, action="thread.hidden", target=colleague)
    client.force_login(administrator)
    page = client.get(reverse("governance:audit_log"), {"q": colleague.name})
    assert [e.action for e in page.context["page"]] == ["thread.hidden"]
    page = client.get(reverse("governance:audit_log"), {"action": "role.granted"})
    assert [e.action for e in page.context["page"]] == ["role.granted"]


def test_bad_dates_explain_and_keep_the_search(client, administrator):
    client.force_login(administrator)
    response = client.get(
        reverse("governance:audit_log"),
        {"q": "charte", "since": "2026-05-01", "until": "2026-04-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["q"].value() == "charte"
    csv_response = client.get(
        reverse("governance:audit_log_csv"), {"since": "2026-05-01", "until": "2026-04-01"}
    )
    assert csv_response.status_code == 400


def test_csv_export_filters_and_neutralises_formulas(client, administrator, employee):
    employee.display_name = "=HYPERLINK(evil)"
    employee.save()
    audit_record(
        actor=administrator, action="role.granted", target=employee, after={"is_executive": True}
    )
    audit_record(actor=administrator, action="charter.published")
    client.force_login(administrator)
    response = client.get(reverse("governance:audit_log_csv"), {"action": "role.granted"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert rows[0][:4] == ["When", "Who", "Who (id)", "Action"]
    assert len(rows) == 2
    assert rows[1][3] == "role.granted"
    assert rows[1][6] == "'=HYPERLINK(evil)"
    assert '"is_executive": true' in rows[1][8]


def test_csv_export_header_is_in_the_readers_language(client, administrator):
    administrator.preferred_language = "fr"
    administrator.save()
    client.force_login(administrator)
    rows = _csv_rows(client.get(reverse("governance:audit_log_csv")))
    assert rows[0] == [
        "Date", "Qui", "Qui (identifiant)", "Action", "Type de cible", "Cible (identifiant)",
        "Cible", "Avant", "Après",
    ]  # fmt: skip


def test_admin_is_read_only_even_for_administrators(client, administrator, employee):
    entry = audit_record(actor=administrator, action="role.granted", target=employee)
    client.force_login(administrator)
    assert client.get("/django-admin/governance/auditentry/").status_code == 200
    assert client.get(f"/django-admin/governance/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/django-admin/governance/auditentry/add/").status_code == 403
    delete_url = f"/django-admin/governance/auditentry/{entry.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change = client.post(
        f"/django-admin/governance/auditentry/{entry.pk}/change/", {"action": "nothing"}
    )
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "role.granted"


def test_admin_is_closed_to_employees(client, employee):
    employee.is_staff = True  # even a staff flag does not open governance records
    employee.save()
    client.force_login(employee)
    response = client.get("/django-admin/governance/auditentry/")
    assert response.status_code in (302, 403)


def test_the_database_refuses_to_rewrite_history(administrator):
    """Even raw SQL, which bypasses the model, cannot change an entry."""
    from django.db import DatabaseError, connection, transaction

    entry = audit_record(actor=administrator, action="charter.published")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_auditentry SET action = %s WHERE id = %s", ["x", entry.pk]
        )
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM governance_auditentry WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "charter.published"


def test_a_post_deleted_in_the_editor_is_audited(client, colleague):
    from blogs import services as blog_services
    from governance.models import AuditEntry

    post = blog_services.post_create(actor=colleague, title="À supprimer", body="x", publish=True)
    client.force_login(colleague)
    response = client.post(f"/admin/pages/{post.pk}/delete/")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="post.deleted")
    assert entry.actor == colleague
    assert entry.target_id == str(post.pk)
    assert entry.before["title"] == "À supprimer"
