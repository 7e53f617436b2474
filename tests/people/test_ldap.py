"""LDAP / Active Directory (people.ldap, manage.py import_ldap), against a real OpenLDAP server
started for the session (tests/people/ldap_server.py): sign-in on the login form and its
refusals, the import's dry run and application, managers, a move that keeps the past, and the
people the directory no longer lists."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO

import ldap3
import pytest
from axes.models import AccessAttempt
from django.core.management import CommandError, call_command
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from activity.services import event_record
from console.tasks import import_ldap_nightly
from governance.models import AuditEntry
from metrics.models import ScopeDay
from metrics.services import metrics_refresh
from people import ldap
from people.models import Department, PersonHistory, User
from tests.factories import TEST_PASSWORD, AdminFactory, DepartmentFactory, UserFactory
from tests.people import ldap_server
from tests.people.ldap_server import ADMIN_DN, ADMIN_PASSWORD, PASSWORD, PEOPLE_BASE, person_dn

LOGIN_URL = "/accounts/login/"
WRONG = "Your username or password is not right."
UNREACHABLE = "The company directory could not be reached"


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ldap_server.Slapd]:
    server = ldap_server.start(tmp_path_factory.mktemp("slapd"))
    yield server
    server.stop()


@pytest.fixture
def directory(slapd, settings, client):
    """Ruche configured for the test directory, as the environment would (settings/base.py)."""
    settings.RUCHE_LDAP_URL = slapd.url
    settings.RUCHE_LDAP_BIND_DN = ADMIN_DN
    settings.RUCHE_LDAP_BIND_PASSWORD = ADMIN_PASSWORD
    settings.RUCHE_LDAP_USER_BASE = PEOPLE_BASE
    # Disabled accounts are left out, as Active Directory's userAccountControl filter does.
    settings.RUCHE_LDAP_USER_FILTER = "(&(objectClass=inetOrgPerson)(!(employeeType=disabled)))"
    backends = list(settings.AUTHENTICATION_BACKENDS)
    backends.insert(backends.index("people.auth.PasswordPolicyBackend"), "people.ldap.LdapBackend")
    settings.AUTHENTICATION_BACKENDS = backends
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return slapd


@pytest.fixture
def admin_connection(slapd) -> Iterator[ldap3.Connection]:
    connection = ldap3.Connection(
        ldap3.Server(slapd.url, get_info=ldap3.NONE),
        user=ADMIN_DN,
        password=ADMIN_PASSWORD,
        auto_bind=True,
    )
    yield connection
    connection.unbind()


def log_in(client, username: str, password: str):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def signed_in_as(client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


def import_ldap(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_ldap", *args, "--language", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- Sign-in -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_sign_in_creates_the_account_from_the_directory(directory, client):
    response = log_in(client, "edubois", PASSWORD)
    assert response.status_code == 302
    user = signed_in_as(client)
    assert user is not None
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "edubois",
        "edubois@ruche.test",
        "Emma",
        "Dubois",
    )
    assert user.department is not None and user.department.name == "Ventes"
    assert user.job_title == "Account manager"
    # The directory keeps the password: Ruche holds none that could be guessed.
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_sign_in_links_an_existing_account_by_email_and_follows_the_directory(directory, client):
    existing = UserFactory(
        username="emma.dubois",
        email="EDubois@ruche.test",
        department=DepartmentFactory(name="Old", slug="old"),
        job_title="Intern",
    )
    assert log_in(client, "edubois", PASSWORD).status_code == 302
    assert signed_in_as(client) == existing
    existing.refresh_from_db()
    assert existing.department.name == "Ventes"
    assert existing.job_title == "Account manager"
    assert User.objects.filter(email__iexact="edubois@ruche.test").count() == 1


@pytest.mark.django_db
def test_department_from_the_organisational_unit(directory, client, settings):
    settings.RUCHE_LDAP_ATTRIBUTES = {**settings.RUCHE_LDAP_ATTRIBUTES, "department": ""}
    assert log_in(client, "hpetit", PASSWORD).status_code == 302
    assert signed_in_as(client).department.name == "Engineering"


@pytest.mark.django_db
def test_wrong_password_is_refused_and_counted_by_the_lockout(directory, client):
    response = log_in(client, "edubois", "not-the-password")
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert signed_in_as(client) is None
    assert not User.objects.filter(username="edubois").exists()
    assert AccessAttempt.objects.get(username="edubois").failures_since_start == 1


@pytest.mark.django_db
def test_lockout_applies_to_directory_passwords(directory, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "edubois", "not-the-password")
    response = log_in(client, "edubois", PASSWORD)
    assert response.status_code == 429
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_unknown_username_and_filter_characters_are_refused(directory, client):
    for username in ("nobody", "*", "edubois)(uid=*"):
        response = log_in(client, username, PASSWORD)
        assert response.status_code == 200
        assert WRONG in response.content.decode()
    assert signed_in_as(client) is None
    # An empty password is an anonymous bind, which the directory accepts: never tried.
    assert ldap.directory_sign_in(username="edubois", password="") is None


@pytest.mark.django_db
def test_an_account_disabled_in_the_directory_is_refused(directory, client):
    response = log_in(client, "gone", PASSWORD)
    assert WRONG in response.content.decode()
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_an_account_deactivated_in_ruche_is_refused_with_its_reason(directory, client):
    UserFactory(username="emma", email="edubois@ruche.test", is_active=False)
    response = log_in(client, "edubois", PASSWORD)
    assert response.status_code == 200
    assert "This account is deactivated. Please contact an administrator." in (
        response.content.decode()
    )
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_no_account_is_created_when_the_directory_may_not_create_them(directory, client, settings):
    settings.RUCHE_LDAP_CREATE_ACCOUNTS = False
    response = log_in(client, "edubois", PASSWORD)
    assert "No Ruche account has the e-mail address edubois@ruche.test" in (
        response.content.decode()
    )
    assert not User.objects.filter(email="edubois@ruche.test").exists()


@pytest.mark.django_db
def test_a_local_account_still_signs_in_with_its_own_password(directory, client):
    local = UserFactory(username="contractor", email="contractor@example.com")
    assert log_in(client, "contractor", TEST_PASSWORD).status_code == 302
    assert signed_in_as(client) == local


@pytest.mark.django_db
def test_directory_unreachable_says_so_and_break_glass_still_works(directory, client, settings):
    settings.RUCHE_LDAP_URL = f"ldap://127.0.0.1:{ldap_server.free_port()}"
    settings.RUCHE_LDAP_TIMEOUT = 2
    settings.RUCHE_PASSWORD_LOGIN = False
    settings.RUCHE_BREAK_GLASS_USERS = ["rescue"]
    employee = UserFactory(username="employee")
    response = log_in(client, employee.username, TEST_PASSWORD)
    assert response.status_code == 200
    assert UNREACHABLE in response.content.decode()
    assert signed_in_as(client) is None
    rescue = AdminFactory(username="rescue")
    assert log_in(client, "rescue", TEST_PASSWORD).status_code == 302
    assert signed_in_as(client) == rescue


@pytest.mark.django_db
def test_start_tls_checks_the_server_certificate(directory, client, settings):
    settings.RUCHE_LDAP_START_TLS = True
    settings.RUCHE_LDAP_CA_FILE = str(directory.certificate)
    assert log_in(client, "edubois", PASSWORD).status_code == 302
    client.logout()
    # The system's authorities do not know this self-signed certificate: refused, not ignored.
    settings.RUCHE_LDAP_CA_FILE = ""
    response = log_in(client, "edubois", PASSWORD)
    assert UNREACHABLE in response.content.decode()
    assert signed_in_as(client) is None


@pytest.mark.django_db
def test_directory_refusing_the_service_account_reads_as_unreachable(directory, client, settings):
    settings.RUCHE_LDAP_BIND_PASSWORD = "wrong"
    response = log_in(client, "edubois", PASSWORD)
    assert UNREACHABLE in response.content.decode()


@pytest.mark.django_db
def test_the_refusals_in_french(directory, client, settings):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    UserFactory(username="emma", email="edubois@ruche.test", is_active=False)
    page = log_in(client, "edubois", PASSWORD).content.decode()
    assert "Ce compte est désactivé" in page
    settings.RUCHE_LDAP_URL = f"ldap://127.0.0.1:{ldap_server.free_port()}"
    page = log_in(client, "edubois", PASSWORD).content.decode()
    assert "L’annuaire de l’entreprise est injoignable" in page


@pytest.mark.django_db
def test_login_page_tells_to_use_the_directory_password(directory, client, settings):
    settings.RUCHE_PASSWORD_LOGIN = False
    page = client.get(LOGIN_URL).content.decode()
    assert "Sign in with your company directory username and password." in page
    assert "Emergency sign-in" not in page  # the form is everyone's, not the break-glass one


# --- Directory import ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_shows_the_changes_and_writes_nothing(directory):
    before = (User.objects.count(), Department.objects.count(), AuditEntry.objects.count())
    out, err = import_ldap("--dry-run")
    assert err == ""
    assert "New department: Ingénierie" in out
    assert f"Create lbernard@ruche.test ({person_dn('lbernard', 'Sales')})" in out
    assert "manager: “” → “cmartin@ruche.test”" in out
    assert "gone@ruche.test" not in out  # disabled in the directory
    assert "Dry run: nothing was written." in out
    after = (User.objects.count(), Department.objects.count(), AuditEntry.objects.count())
    assert after == before


@pytest.mark.django_db
def test_import_applies_people_departments_and_managers(directory, mailoutbox):
    out, _ = import_ldap("--no-welcome")
    assert "4 created" in out
    people = {u.username: u for u in User.objects.select_related("department", "manager")}
    assert {"cmartin", "lbernard", "edubois", "hpetit"} <= set(people)
    assert "gone" not in people
    assert people["edubois"].manager == people["lbernard"]
    assert people["lbernard"].manager == people["cmartin"]
    assert people["cmartin"].manager is None
    assert people["hpetit"].department.name == "Ingénierie"
    assert people["edubois"].job_title == "Account manager"
    assert AuditEntry.objects.filter(action="directory.imported").count() == 1
    # Run again: the directory did not change, so nothing does.
    out, _ = import_ldap()
    assert "0 created, 0 changed" in out and "4 unchanged" in out


@pytest.mark.django_db
def test_a_move_in_the_directory_keeps_the_past_events_department(directory, admin_connection):
    import_ldap("--no-welcome")
    hugo = User.objects.get(username="hpetit")
    engineering = hugo.department
    past = event_record(actor=hugo, verb=Verb.POSTED, obj=hugo)
    dn = person_dn("hpetit", "Engineering")
    admin_connection.modify(dn, {"departmentNumber": [(ldap3.MODIFY_REPLACE, ["Ventes"])]})
    try:
        out, _ = import_ldap()
    finally:
        admin_connection.modify(dn, {"departmentNumber": [(ldap3.MODIFY_REPLACE, ["Ingénierie"])]})
    assert "department: “Ingénierie” → “Ventes”" in out
    hugo.refresh_from_db()
    sales = Department.objects.get(name="Ventes")
    assert hugo.department == sales
    past.refresh_from_db()
    assert past.department_id == engineering.pk  # the event keeps the department of its day
    history = list(PersonHistory.objects.filter(user=hugo).order_by("since"))
    assert history[-1].department_id == sales.pk
    assert any(row.department_id == engineering.pk for row in history[:-1])
    # From the move on, the department heads' figures follow the new structure.
    today = timezone.localdate()
    metrics_refresh(since=today, until=today)
    assert ScopeDay.objects.get(day=today, department_id=sales.pk).population == 3
    assert ScopeDay.objects.get(day=today, department_id=engineering.pk).population == 0
    assert ParticipationEvent.objects.filter(pk=past.pk, department_id=engineering.pk).exists()


@pytest.mark.django_db
def test_deactivate_missing_deactivates_who_left_the_directory(directory):
    left = UserFactory(username="left", email="left@ruche.test")
    admin = AdminFactory(username="root", email="root@ruche.test")
    out, _ = import_ldap("--dry-run", "--deactivate-missing")
    assert "Deactivate left@ruche.test (absent from the directory)" in out
    left.refresh_from_db()
    assert left.is_active
    import_ldap("--deactivate-missing", "--no-welcome")
    left.refresh_from_db()
    admin.refresh_from_db()
    assert not left.is_active
    assert admin.is_active  # never administrators
    # Without the option, nobody is deactivated.
    other = UserFactory(username="other", email="other@ruche.test")
    import_ldap()
    other.refresh_from_db()
    assert other.is_active


@pytest.mark.django_db
def test_a_manager_outside_the_people_read_imports_nothing(directory, settings):
    settings.RUCHE_LDAP_USER_FILTER = "(&(objectClass=inetOrgPerson)(!(uid=cmartin)))"
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_ldap", "--language", "en", stdout=StringIO(), stderr=err)
    assert f"{person_dn('lbernard', 'Sales')}: its manager {person_dn('cmartin', 'Direction')}" in (
        err.getvalue()
    )
    assert not User.objects.filter(email__endswith="@ruche.test").exists()


@pytest.mark.django_db
def test_a_directory_that_lists_nobody_deactivates_nobody(directory, settings):
    settings.RUCHE_LDAP_USER_BASE = f"ou=Direction,{PEOPLE_BASE}"
    settings.RUCHE_LDAP_USER_FILTER = "(uid=nobody-at-all)"
    employee = UserFactory(username="stays", email="stays@ruche.test")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_ldap", "--deactivate-missing", "--language", "en", stdout=StringIO(), stderr=err
        )
    assert "The directory lists nobody under ou=Direction" in err.getvalue()
    employee.refresh_from_db()
    assert employee.is_active


@pytest.mark.django_db
def test_plan_errors_name_the_directory_entry(directory):
    UserFactory(username="hpetit", email="hugo@elsewhere.test")  # the username is taken
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_ldap", "--language", "en", stdout=StringIO(), stderr=err)
    assert f"{person_dn('hpetit', 'Engineering')} (username): The username hpetit" in (
        err.getvalue()
    )
    assert not User.objects.filter(email__endswith="@ruche.test").exists()


@pytest.mark.django_db
def test_import_in_french(directory):
    out = StringIO()
    call_command("import_ldap", "--dry-run", "--language", "fr", stdout=out)
    assert "Nouveau service : Ingénierie" in out.getvalue()
    assert "Essai : rien n’a été écrit." in out.getvalue()


@pytest.mark.django_db
def test_import_unreachable_or_unconfigured_is_a_clear_error(directory, settings):
    settings.RUCHE_LDAP_URL = f"ldap://127.0.0.1:{ldap_server.free_port()}"
    settings.RUCHE_LDAP_TIMEOUT = 2
    with pytest.raises(CommandError, match=UNREACHABLE):
        import_ldap()
    settings.RUCHE_LDAP_URL = ""
    with pytest.raises(CommandError, match="RUCHE_LDAP_URL is not set"):
        import_ldap()


@pytest.mark.django_db
def test_nightly_import_runs_only_when_configured(directory, settings):
    assert import_ldap_nightly() is None
    assert not User.objects.filter(email__endswith="@ruche.test").exists()
    settings.RUCHE_LDAP_NIGHTLY_IMPORT = True
    counts = import_ldap_nightly()
    assert counts is not None and counts["create"] == 4 and counts["departments"] == 3
    assert User.objects.filter(email__endswith="@ruche.test").count() == 4


def _backends_with(**environment: str) -> list[str]:
    """AUTHENTICATION_BACKENDS as the settings compute them from this environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUCHE_")}
    env.update(environment, DJANGO_SETTINGS_MODULE="ruche.settings")
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.AUTHENTICATION_BACKENDS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_backend_is_there_only_when_the_directory_is_configured():
    assert "people.ldap.LdapBackend" not in _backends_with()
    backends = _backends_with(
        RUCHE_LDAP_URL="ldap://127.0.0.1:1", RUCHE_LDAP_USER_BASE="ou=People,dc=x"
    )
    # After django-axes, before the local password policy.
    assert backends.index("axes.backends.AxesStandaloneBackend") < backends.index(
        "people.ldap.LdapBackend"
    )
    assert backends.index("people.ldap.LdapBackend") < backends.index(
        "people.auth.PasswordPolicyBackend"
    )
