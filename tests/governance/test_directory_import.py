"""The CSV import of the directory (console.services.directory_import_*, manage.py
import_people): every line checked first, all or nothing, a dry run that writes nothing, the
department history kept."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from activity.models import ParticipationEvent, Verb
from activity.services import event_record
from console import services
from governance.audit_text import action_label, audit_sentence
from governance.models import AuditEntry
from people.directory_import import plan_import
from people.models import Department, PersonHistory, User
from tests.factories import AdminFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "email;first_name;last_name;department;job_title;manager_email;language\n"


def csv(*lines: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = header + "".join(line + "\n" for line in lines)
    return (("\ufeff" if bom else "") + text).encode("utf-8")


@pytest.fixture(autouse=True)
def in_english():
    """The messages are checked in English (the site's default is French; the French ones
    are checked on the page, in the command and in the audit log)."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin():
    return AdminFactory(username="admin", email="admin@ruche.test")


def apply(admin, content, **options):
    options.setdefault("deactivate_missing", False)
    return services.directory_import_apply(
        actor=admin, content=content, send_welcome=False, **options
    )


def snapshot():
    return (
        sorted(User.objects.values_list("email", "department_id", "manager_id", "job_title")),
        Department.objects.count(),
        PersonHistory.objects.count(),
        AuditEntry.objects.count(),
    )


def test_an_import_creates_people_departments_and_managers_in_any_order(admin):
    sales = DepartmentFactory(name="Ventes", slug="ventes")
    content = csv(
        # Bob's manager comes after him in the file.
        "bob@ex.com;Bob;Durand;ventes;Vendeur;alice@ex.com;en",
        "alice@ex.com;Alice;Martin;Marketing;Directrice;;fr",
        bom=True,
    )
    plan = apply(admin, content)
    assert plan.counts["create"] == 2 and plan.new_departments == ["Marketing"]
    bob = User.objects.get(email="bob@ex.com")
    alice = User.objects.get(email="alice@ex.com")
    assert (bob.username, bob.department, bob.manager, bob.job_title) == (
        "bob",
        sales,
        alice,
        "Vendeur",
    )
    assert bob.preferred_language == "en" and alice.preferred_language == "fr"
    assert alice.department.name == "Marketing" and alice.department.slug == "marketing"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"account.created", "department.created", "directory.imported"} <= actions
    assert AuditEntry.objects.filter(action="account.created", actor=admin).count() == 2
    # The same file again changes nothing.
    again = services.directory_import_preview(
        actor=admin, content=content, deactivate_missing=False
    )
    assert again.valid and not again.has_changes and again.unchanged == 2


def test_comma_separated_and_an_update_of_the_columns_given(admin):
    person = UserFactory(email="Claire@ex.com", job_title="Analyste", preferred_language="fr")
    plan = apply(admin, csv("claire@ex.com,Claire,Petit", header="email,first_name,last_name\n"))
    person.refresh_from_db()
    assert plan.counts["update"] == 1
    assert (person.first_name, person.last_name) == ("Claire", "Petit")
    # Columns left out are not managed.
    assert person.job_title == "Analyste" and person.department is not None
    entry = AuditEntry.objects.get(action="account.updated")
    assert entry.after["last_name"] == "Petit" and entry.target_id == str(person.pk)


def test_a_dry_run_writes_nothing(admin):
    UserFactory(email="dan@ex.com")
    before = snapshot()
    plan = services.directory_import_preview(
        actor=admin,
        content=csv("eve@ex.com;Eve;Roy;Nouveau;;dan@ex.com;fr", "dan@ex.com;Dan;X;;;;"),
        deactivate_missing=True,
    )
    assert plan.valid and plan.counts["create"] == 1 and plan.new_departments == ["Nouveau"]
    assert snapshot() == before
    out = StringIO()
    path = _file(csv("zed@ex.com;Zed;;;;;"))
    call_command("import_people", path, "--dry-run", "--language", "en", stdout=out)
    assert "Create zed@ex.com (line 2)" in out.getvalue() and snapshot() == before
    assert "Dry run: nothing was written." in out.getvalue()
    out = StringIO()
    call_command("import_people", path, "--dry-run", "--language", "fr", stdout=out)
    assert "Création zed@ex.com (ligne 2)" in out.getvalue() and snapshot() == before
    assert "Essai : rien n’a été écrit." in out.getvalue()


def _file(content: bytes) -> str:
    handle = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
    handle.write(content)
    handle.close()
    return handle.name


def test_one_bad_line_and_nothing_is_written_the_error_names_line_and_column(admin):
    before = snapshot()
    content = csv(
        "ok@ex.com;Ok;One;Ventes;;;fr",
        "also-ok@ex.com;Ok;Two;;;;en",
        "bad@ex.com;Bad;Three;;;;klingon",
    )
    with pytest.raises(services.ImportInvalid) as refused:
        apply(admin, content)
    [error] = refused.value.plan.errors
    assert (error.line, error.column) == (4, "language")
    with translation.override("en"):
        assert "Line 4, column language" in str(error)
    assert snapshot() == before
    with pytest.raises(CommandError):
        call_command("import_people", _file(content), stderr=StringIO(), stdout=StringIO())
    assert snapshot() == before


@pytest.mark.parametrize(
    ("lines", "line", "column", "words"),
    [
        (["a@ex.com;A;;;;;", "A@EX.COM;B;;;;;"], 3, "email", "already on line 2"),
        (["not-an-address;A;;;;;"], 2, "email", "not a valid e-mail"),
        ([";A;;;;;"], 2, "email", "required"),
        (["a@ex.com;A;;;;nobody@ex.com;"], 2, "manager_email", "neither in the file"),
        (["a@ex.com;A;;;;a@ex.com;"], 2, "manager_email", "own manager"),
        (["a@ex.com;" + "x" * 151 + ";;;;;"], 2, "first_name", "At most 150"),
        (["a@ex.com;A;;;;;;extra"], 2, "", "cells"),
    ],
)
def test_each_refusal_names_its_line_and_column(admin, lines, line, column, words):
    with pytest.raises(services.ImportInvalid) as refused:
        apply(admin, csv(*lines))
    errors = refused.value.plan.errors
    assert any(e.line == line and e.column == column and words in e.message for e in errors), errors
    assert not User.objects.exclude(pk=admin.pk).exists()


def test_a_circle_of_managers_is_refused_even_through_someone_outside_the_file(admin):
    outside = UserFactory(email="out@ex.com")
    a = UserFactory(email="a@ex.com")
    outside.manager = a
    outside.save()
    content = csv("a@ex.com;A;;;;b@ex.com;", "b@ex.com;B;;;;out@ex.com;")
    plan = plan_import(content)
    assert {(e.line, e.column) for e in plan.errors} == {(2, "manager_email"), (3, "manager_email")}
    assert "circle" in plan.errors[0].message and not plan.people


def test_header_errors(admin):
    plan = plan_import(b"mail;name\nx@ex.com;X\n")
    assert [(e.line, e.column) for e in plan.errors] == [(1, "mail, name"), (1, "email")]
    assert (
        plan_import("email\né@ex.com\n".encode("latin-1"))
        .errors[0]
        .message.startswith("The file is not UTF-8")
    )


def test_a_taken_username_is_refused(admin):
    UserFactory(username="alice", email="other@ex.com")
    plan = plan_import(csv("alice@ex.com;Alice;;;;;"))
    assert [(e.line, e.column) for e in plan.errors] == [(2, "username")]


def test_missing_people_are_deactivated_only_when_asked_and_their_sessions_end(
    admin, client, django_capture_on_commit_callbacks
):
    stays = UserFactory(email="stays@ex.com")
    leaver = UserFactory(email="leaver@ex.com")
    client.force_login(leaver)
    assert Session.objects.count() == 1
    content = csv("stays@ex.com;;;;;;")
    plan = apply(admin, content)
    leaver.refresh_from_db()
    assert leaver.is_active and not plan.of("deactivate")
    with pytest.raises(services.ImportInvalid):
        # stays's manager would leave: refused.
        apply(admin, csv("stays@ex.com;;;;;leaver@ex.com;"), deactivate_missing=True)
    with django_capture_on_commit_callbacks(execute=True):
        plan = apply(admin, content, deactivate_missing=True)
    leaver.refresh_from_db()
    stays.refresh_from_db()
    assert not leaver.is_active and stays.is_active
    admin.refresh_from_db()
    assert admin.is_active and "admin@ruche.test" in plan.kept_administrators
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(leaver.pk)
    ]
    assert client.get(reverse("people:directory")).status_code == 302  # signed out
    assert AuditEntry.objects.filter(
        action="account.deactivated", target_id=str(leaver.pk)
    ).exists()
    # Back in the file: reactivated.
    plan = apply(admin, csv("leaver@ex.com;;;;;;", "stays@ex.com;;;;;;"))
    leaver.refresh_from_db()
    assert leaver.is_active and plan.counts["reactivate"] == 1


def test_only_administrators_import(admin):
    employee = UserFactory()
    for actor in (employee, UserFactory(is_staff=True)):
        with pytest.raises(PermissionDenied):
            services.directory_import_preview(actor=actor, content=csv(), deactivate_missing=False)
        with pytest.raises(PermissionDenied):
            apply(actor, csv("x@ex.com;;;;;;"))
    assert not User.objects.filter(email="x@ex.com").exists()


def test_a_plan_that_changed_since_the_preview_is_refused(admin):
    person = UserFactory(email="p@ex.com", job_title="Analyste")
    content = csv("p@ex.com;;;;Chef;;")
    preview = services.directory_import_preview(
        actor=admin, content=content, deactivate_missing=False
    )
    person.job_title = "Stagiaire"
    person.save()
    with pytest.raises(services.DirectoryChanged):
        apply(admin, content, expected_digest=preview.digest)
    person.refresh_from_db()
    assert person.job_title == "Stagiaire"
    fresh = services.directory_import_preview(
        actor=admin, content=content, deactivate_missing=False
    )
    apply(admin, content, expected_digest=fresh.digest)
    person.refresh_from_db()
    assert person.job_title == "Chef"


def test_a_move_keeps_past_events_in_their_department_and_the_new_department_lists_them(
    admin, client
):
    old = DepartmentFactory(name="Ancien", slug="ancien")
    new = DepartmentFactory(name="Nouveau", slug="nouveau")
    person = UserFactory(email="mover@ex.com", department=old, first_name="Mona", last_name="Lisa")
    past = event_record(
        actor=person, verb=Verb.POSTED, occurred_at=timezone.now() - timedelta(days=3)
    )
    apply(admin, csv("mover@ex.com;Mona;Lisa;Nouveau;;;"))
    past.refresh_from_db()
    assert past.department_id == old.pk  # the event keeps the department of its day
    history = list(PersonHistory.objects.filter(user=person).order_by("since"))
    assert [h.department_id for h in history] == [old.pk, new.pk]
    later = event_record(actor=User.objects.get(pk=person.pk), verb=Verb.POSTED)
    assert later.department_id == new.pk
    assert ParticipationEvent.objects.filter(actor=person).count() == 2
    client.force_login(admin)
    assert "Mona Lisa" in client.get(reverse("people:department", args=["nouveau"])).text
    assert "Mona Lisa" not in client.get(reverse("people:department", args=["ancien"])).text


def test_the_plan_costs_a_fixed_number_of_queries(admin, django_assert_max_num_queries):
    DepartmentFactory(name="Ventes", slug="ventes")
    for n in range(30):
        UserFactory(email=f"u{n}@ex.com")
    small = csv(
        *(f"u{n}@ex.com;U;{n};Ventes;;u0@ex.com;fr" for n in range(1, 3)), "u0@ex.com;U;0;;;;"
    )
    large = csv(
        *(f"u{n}@ex.com;U;{n};Ventes;;u0@ex.com;fr" for n in range(1, 30)), "u0@ex.com;U;0;;;;"
    )
    for content in (small, large):
        with django_assert_max_num_queries(2):
            assert plan_import(content, deactivate_missing=True).valid


# --- The administrators' page ---------------------------------------------------------------


def _upload(client, content, **data):
    upload = SimpleUploadedFile("annuaire.csv", content, content_type="text/csv")
    return client.post(reverse("governance:directory_import"), {"file": upload, **data})


def test_the_page_is_for_administrators_only(client):
    url = reverse("governance:directory_import")
    for person in (UserFactory(), UserFactory(is_staff=True), UserFactory(is_executive=True)):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert _upload(client, csv("x@ex.com;;;;;;")).status_code == 404
        confirm = reverse("governance:directory_import_confirm")
        assert client.post(confirm, {"token": "x"}).status_code == 404
    assert not User.objects.filter(email="x@ex.com").exists()
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_upload_preview_confirm(admin, client, django_assert_max_num_queries):
    client.force_login(admin)
    page = client.get(reverse("governance:directory_import"))
    assert page.status_code == 200 and "manager_email" in page.text
    before = snapshot()
    with django_assert_max_num_queries(12):
        preview = _upload(client, csv("new@ex.com;Nina;Neuf;Achats;Acheteuse;;fr"))
    assert preview.status_code == 200 and snapshot() == before  # the preview writes nothing
    assert "Achats" in preview.text and "new@ex.com" in preview.text
    token = preview.context["confirm"].initial["token"]
    done = client.post(reverse("governance:directory_import_confirm"), {"token": token})
    assert done.status_code == 200 and "The directory was imported." in done.text
    assert User.objects.get(email="new@ex.com").department.name == "Achats"


def test_the_page_shows_each_lines_error_and_offers_no_confirmation(admin, client):
    client.force_login(admin)
    answer = _upload(client, csv("a@ex.com;A;;;;;", "a@ex.com;B;;;;;"))
    assert answer.status_code == 400 and answer.context["confirm"] is None
    assert "Line 3, column email" in answer.text
    assert not User.objects.filter(email="a@ex.com").exists()


def test_a_confirmation_after_a_change_shows_the_new_plan(admin, client):
    client.force_login(admin)
    person = UserFactory(email="p@ex.com", job_title="Analyste")
    preview = _upload(client, csv("p@ex.com;;;;Chef;;"))
    token = preview.context["confirm"].initial["token"]
    person.job_title = "Stagiaire"
    person.save()
    answer = client.post(reverse("governance:directory_import_confirm"), {"token": token})
    assert answer.status_code == 200 and "The directory changed since the preview" in answer.text
    person.refresh_from_db()
    assert person.job_title == "Stagiaire"
    # A forged or altered token is refused.
    answer = client.post(
        reverse("governance:directory_import_confirm"), {"token": token[:-3] + "abc"}
    )
    assert answer.status_code == 302
    person.refresh_from_db()
    assert person.job_title == "Stagiaire"


def test_the_page_in_french(admin, client):
    admin.preferred_language = "fr"
    admin.save()
    client.force_login(admin)
    answer = _upload(client, csv("a@ex.com;A;;;;;xx"))
    assert "Ligne 2, colonne language" in answer.text
    assert "Import de l’annuaire" in answer.text
    preview = _upload(client, csv("a@ex.com;A;;;;;en"))
    assert "Confirmer l’import" in preview.text


def test_the_audit_log_says_what_the_import_did_in_both_languages(admin):
    UserFactory(email="moved@ex.com", first_name="Max", last_name="Moved")
    apply(admin, csv("moved@ex.com;Max;Moved;Logistique;;;", "new@ex.com;Nia;New;;;;"))
    entries = AuditEntry.objects.order_by("pk")
    with translation.override("en"):
        sentences = [str(audit_sentence(e)) for e in entries]
    assert any("created the department" in s and "Logistique" in s for s in sentences)
    assert any("created the account of" in s for s in sentences)
    assert any("imported the directory from a CSV file" in s for s in sentences)
    assert any("changed" in s and "department" in s for s in sentences)
    with translation.override("fr"):
        sentences = [str(audit_sentence(e)) for e in entries]
        labels = {action_label(e.action) for e in entries}
    assert any("a créé le service" in s and "Logistique" in s for s in sentences)
    assert any("a importé l’annuaire" in s for s in sentences)
    assert {"Annuaire importé", "Compte créé", "Service créé"} <= labels


def _apply_queries(admin, count, offset):
    lines = [f"q{offset + n}@ex.com;Q;{n};Ventes;Poste;;fr" for n in range(count)]
    with CaptureQueriesContext(connection) as created:
        apply(admin, csv(*lines))
    moved = [line.replace("Ventes", "Achats").replace("Poste", "Chef") for line in lines]
    with CaptureQueriesContext(connection) as updated:
        apply(admin, csv(*moved))
    return len(created), len(updated)


def test_applying_costs_a_fixed_number_of_queries_plus_the_writes_of_each_row(admin):
    DepartmentFactory(name="Ventes", slug="ventes")
    DepartmentFactory(name="Achats", slug="achats")
    small = _apply_queries(admin, 2, 0)
    large = _apply_queries(admin, 12, 100)
    # Per created row (measured 10): the people service's savepoint and release, the account's
    # checks (department, unique username) and insert, its history read and insert, its
    # manager-less audit entry. Per changed row (measured 6): savepoint, update, history read
    # and insert, release, audit entry. The plan itself is a fixed number of reads.
    per_created = (large[0] - small[0]) / 10
    per_updated = (large[1] - small[1]) / 10
    assert per_created <= 10 and per_updated <= 6, (small, large)
    assert small[0] <= 30 and small[1] <= 22, small
