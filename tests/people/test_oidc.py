"""Single sign-on with OpenID Connect, against a real provider process (tests/people/
oidc_provider.py: oidc-provider-mock, PKCE required) that each test signs in through, over
HTTP on the loopback: Ruche fetches its discovery document, exchanges the code, fetches its
keys and its userinfo. Success, linking, creation, department history, logout, and every
refusal: wrong audience, expired token, replayed or unknown state, PKCE, unknown, unverified
or shared e-mail, deactivated account, unreachable provider."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.core import mail
from django.http import HttpRequest
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from activity.services import event_record
from people.models import Department, PersonHistory, User
from tests.factories import TEST_PASSWORD, DepartmentFactory, UserFactory

PROVIDER_SCRIPT = Path(__file__).with_name("oidc_provider.py")
CLIENT_ID = "ruche-intranet"
START = "/accounts/oidc/authenticate/"
CALLBACK = "/accounts/oidc/callback/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def provider_process(*options: str) -> Iterator[str]:
    """Start the provider on a free port; yield its issuer URL once it answers."""
    port = _free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, str(PROVIDER_SCRIPT), "--port", str(port), *options],
            stdout=log,
            stderr=log,
        )
        issuer = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):  # up to about 15 s on a loaded machine
                try:
                    if httpx.get(f"{issuer}/.well-known/openid-configuration").is_success:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None:
                    break
                time.sleep(0.1)
            else:
                pytest.fail("the OpenID provider did not start")
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"the OpenID provider stopped: {log.read().decode()[-2000:]}")
            yield issuer
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    with provider_process() as issuer:
        yield issuer


@pytest.fixture(scope="module")
def provider_for_another_client() -> Iterator[str]:
    with provider_process("--audience", "another-application") as issuer:
        yield issuer


@pytest.fixture(scope="module")
def provider_of_expired_tokens() -> Iterator[str]:
    # Expired ten minutes before they are issued: well past Ruche's clock leeway (60 s).
    with provider_process("--token-max-age", "-600") as issuer:
        yield issuer


def configure(settings, issuer: str) -> None:
    settings.RUCHE_OIDC_ISSUER = issuer
    settings.RUCHE_OIDC_PROVIDER_NAME = "Acme ID"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "ruche-test-secret"
    settings.RUCHE_OIDC_CREATE_ACCOUNTS = True
    if "people.oidc.OidcBackend" not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [
            "people.oidc.OidcBackend",
            *settings.AUTHENTICATION_BACKENDS,
        ]


@pytest.fixture
def sso(settings, provider, client):
    configure(settings, provider)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return provider


def claims_of(email: str, **extra) -> dict:
    return {"email": email, "email_verified": True, **extra}


def to_provider(client, issuer: str, sub: str, claims: dict, *, next_url: str = "") -> str:
    """Set the person's claims at the provider, start the sign-in at Ruche and pick the person
    on the provider's page: return the callback URL (path and query) the provider sends the
    browser back to."""
    httpx.put(f"{issuer}/users/{sub}", json=claims).raise_for_status()
    response = client.get(START, {"next": next_url} if next_url else {})
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(f"{issuer}/oauth2/authorize?")
    answer = httpx.post(authorize, data={"sub": sub})
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back.path == CALLBACK
    return f"{back.path}?{back.query}"


def sign_in(client, issuer: str, sub: str, claims: dict, **kwargs):
    return client.get(to_provider(client, issuer, sub, claims, **kwargs))


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# --- No provider configured: nothing changes -----------------------------------------------


@pytest.mark.django_db
def test_without_provider_the_login_page_has_no_sso_and_its_urls_do_not_exist(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "Sign in with" not in page.content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404


@pytest.mark.django_db
def test_password_sign_in_still_works_with_a_provider_configured(sso, client, employee):
    response = client.post(
        "/accounts/login/", {"username": employee.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in_user(client) == employee
    assert client.login(request=HttpRequest(), username=employee.username, password=TEST_PASSWORD)


# --- The login page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_offers_the_provider_in_english_and_french(sso, client):
    page = client.get("/accounts/login/", {"next": "/blogs/"}).content.decode()
    assert "Sign in with Acme ID" in page
    assert f'href="{START}?next=/blogs/"' in page
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    assert "Se connecter avec Acme ID" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_the_request_to_the_provider_carries_state_nonce_and_a_pkce_challenge(sso, client):
    response = client.get(START)
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert "openid" in query["scope"][0].split()


# --- Success -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_sign_in_creates_the_account_with_department_and_job_title(sso, client):
    claims = claims_of(
        "jane.doe@acme.test",
        preferred_username="Jane.Doe@acme.test",
        given_name="Jane",
        family_name="Doe",
        department="Finance",
        job_title="Controller",
    )
    response = sign_in(client, sso, "sub-jane", claims, next_url="/people/")
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    user = signed_in_user(client)
    assert user is not None
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "jane.doe",
        "jane.doe@acme.test",
        "Jane",
        "Doe",
    )
    assert user.department.name == "Finance"
    assert user.job_title == "Controller"
    assert not user.has_usable_password()
    # The person is signed in for real: a page behind login opens.
    assert client.get("/people/").status_code == 200


@pytest.mark.django_db
def test_a_session_opened_by_the_provider_ends_when_the_account_is_deactivated(sso, client):
    person = UserFactory(username="kim", email="kim@acme.test")
    sign_in(client, sso, "sub-kim", claims_of("kim@acme.test"))
    assert client.get("/people/").status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get("/people/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_sign_in_links_the_existing_account_by_verified_email(sso, client):
    existing = UserFactory(username="sam.martin", email="Sam.Martin@acme.test")
    response = sign_in(client, sso, "sub-sam", claims_of("sam.martin@ACME.test"))
    assert response.status_code == 302
    assert signed_in_user(client) == existing
    assert User.objects.filter(email__iexact="sam.martin@acme.test").count() == 1


@pytest.mark.django_db
def test_a_new_username_never_takes_an_existing_one(sso, client):
    UserFactory(username="lee", email="lee@other.test")
    sign_in(client, sso, "sub-lee", claims_of("lee@acme.test", preferred_username="lee"))
    assert signed_in_user(client).username == "lee-2"


@pytest.mark.django_db
def test_department_from_later_sign_ins_is_dated_and_leaves_past_events_alone(sso, client):
    sales = DepartmentFactory(name="Sales", slug="sales")
    person = UserFactory(username="noa", email="noa@acme.test", department=sales)
    event = event_record(actor=person, verb=Verb.POSTED, obj=person, occurred_at=timezone.now())
    assert event.department_id == sales.pk

    sign_in(client, sso, "sub-noa", claims_of("noa@acme.test", department="Marketing"))
    person.refresh_from_db()
    marketing = Department.objects.get(name="Marketing")
    assert person.department == marketing
    history = list(
        PersonHistory.objects.filter(user=person)
        .order_by("since", "pk")
        .values_list("department_id", flat=True)
    )
    assert history == [sales.pk, marketing.pk]
    # The event keeps the department the person was in when it happened.
    assert ParticipationEvent.objects.get(pk=event.pk).department_id == sales.pk

    # The same department again: no new history row, no new event.
    client.post("/accounts/logout/")
    events = ParticipationEvent.objects.filter(actor=person).count()
    sign_in(client, sso, "sub-noa", claims_of("noa@acme.test", department="marketing"))
    assert PersonHistory.objects.filter(user=person).count() == 2
    assert ParticipationEvent.objects.filter(actor=person).count() == events


@pytest.mark.django_db
def test_claims_the_provider_does_not_send_change_nothing(sso, client):
    person = UserFactory(username="ida", email="ida@acme.test", job_title="Buyer")
    department = person.department
    sign_in(client, sso, "sub-ida", claims_of("ida@acme.test"))
    person.refresh_from_db()
    assert (person.department, person.job_title) == (department, "Buyer")


@pytest.mark.django_db
def test_claim_names_come_from_the_settings(sso, client, settings):
    settings.RUCHE_OIDC_CLAIMS = {
        **settings.RUCHE_OIDC_CLAIMS,
        "department": "dept",
        "job_title": "jobTitle",
        "email_verified": "",  # Entra ID: trust the tenant's e-mails
    }
    sign_in(
        client,
        sso,
        "sub-eve",
        {"email": "eve@acme.test", "dept": "Legal", "jobTitle": "Counsel"},
    )
    user = signed_in_user(client)
    assert (user.department.name, user.job_title) == ("Legal", "Counsel")


# --- Logout ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_logout_ends_the_session_here_and_at_the_provider(sso, client):
    sign_in(client, sso, "sub-max", claims_of("max@acme.test"))
    assert signed_in_user(client) is not None
    response = client.post("/accounts/logout/")
    assert signed_in_user(client) is None
    end_session = response["Location"]
    assert end_session.startswith(f"{sso}/oauth2/end_session?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"]
    # The provider's own logout page, then back to Ruche's login page.
    assert httpx.get(end_session).status_code == 200
    confirmed = httpx.post(
        f"{sso}/oauth2/end_session/confirm",
        data={"redirect_uri": query["post_logout_redirect_uri"][0]},
    )
    assert confirmed.headers["Location"] == "http://testserver/accounts/login/"


@pytest.mark.django_db
def test_logout_after_a_password_sign_in_stays_local(sso, client, employee):
    client.force_login(employee)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"


# --- Refusals ----------------------------------------------------------------------------------


def assert_refused(response, status: int, words: str) -> None:
    assert response.status_code == status
    assert words in response.content.decode()


@pytest.mark.django_db
def test_a_token_for_another_audience_is_refused(settings, client, provider_for_another_client):
    configure(settings, provider_for_another_client)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = sign_in(client, provider_for_another_client, "sub-x", claims_of("x@acme.test"))
    assert_refused(response, 403, "The answer of Acme ID could not be verified")
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="x@acme.test").exists()


@pytest.mark.django_db
def test_an_expired_token_is_refused(settings, client, provider_of_expired_tokens):
    configure(settings, provider_of_expired_tokens)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = sign_in(client, provider_of_expired_tokens, "sub-y", claims_of("y@acme.test"))
    assert_refused(response, 403, "Your sign-in with Acme ID has expired")
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_a_replayed_callback_is_refused_in_the_same_and_in_another_browser(sso, client):
    UserFactory(username="ana", email="ana@acme.test")
    callback = to_provider(client, sso, "sub-ana", claims_of("ana@acme.test"))
    assert client.get(callback).status_code == 302
    client.post("/accounts/logout/")
    # The same browser again: the state was used.
    assert_refused(client.get(callback), 400, "was already used")
    assert signed_in_user(client) is None
    # Another browser with the captured URL: it never sent that state.
    other = client.__class__(HTTP_ACCEPT_LANGUAGE="en")
    assert_refused(other.get(callback), 400, "was already used")
    assert "_auth_user_id" not in other.session


@pytest.mark.django_db
def test_a_state_this_browser_never_sent_is_refused(sso, client):
    UserFactory(username="bo", email="bo@acme.test")
    callback = to_provider(client, sso, "sub-bo", claims_of("bo@acme.test"))
    forged = callback.replace("state=", "state=forged")
    assert_refused(client.get(forged), 400, "Start again from the login page")
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_the_provider_checks_the_pkce_verifier(sso, client):
    UserFactory(username="cy", email="cy@acme.test")
    callback = to_provider(client, sso, "sub-cy", claims_of("cy@acme.test"))
    session = client.session
    for state in session["oidc_states"].values():
        state["code_verifier"] = "x" * 64  # not the verifier of the challenge sent
    session.save()
    assert_refused(client.get(callback), 403, "Acme ID refused to complete the sign-in")
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_an_unknown_email_is_refused_when_accounts_are_not_created(sso, client, settings):
    settings.RUCHE_OIDC_CREATE_ACCOUNTS = False
    response = sign_in(client, sso, "sub-new", claims_of("new.person@acme.test"))
    assert_refused(response, 403, "No Ruche account has the e-mail address new.person@acme.test")
    assert signed_in_user(client) is None
    assert not User.objects.filter(email="new.person@acme.test").exists()


@pytest.mark.django_db
def test_an_unverified_email_is_refused_and_links_nothing(sso, client):
    UserFactory(username="victim", email="victim@acme.test")
    claims = {"email": "victim@acme.test", "email_verified": False}
    response = sign_in(client, sso, "sub-attacker", claims)
    assert_refused(response, 403, "has not verified your e-mail address victim@acme.test")
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_no_email_is_refused(sso, client):
    response = sign_in(client, sso, "sub-anonymous", {"name": "Nobody"})
    assert_refused(response, 403, "did not send your e-mail address")
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_an_email_shared_by_two_accounts_is_refused(sso, client):
    UserFactory(username="twin1", email="twin@acme.test")
    UserFactory(username="twin2", email="TWIN@acme.test")
    response = sign_in(client, sso, "sub-twin", claims_of("twin@acme.test"))
    assert_refused(response, 403, "Several Ruche accounts have the e-mail address")
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_a_deactivated_account_is_refused(sso, client):
    UserFactory(username="gone", email="gone@acme.test", is_active=False)
    response = sign_in(client, sso, "sub-gone", claims_of("gone@acme.test"))
    assert_refused(response, 403, "This account is deactivated")
    assert signed_in_user(client) is None
    assert User.objects.filter(email__iexact="gone@acme.test").count() == 1


@pytest.mark.django_db
def test_the_person_cancelling_at_the_provider_is_told_to_start_again(sso, client):
    response = client.get(START)
    denied = httpx.post(response["Location"], data={"action": "deny"})
    back = urlsplit(denied.headers["Location"])
    assert "error=access_denied" in back.query
    assert_refused(client.get(f"{back.path}?{back.query}"), 400, "was cancelled")


@pytest.mark.django_db
def test_an_unreachable_provider_is_said_so(settings, client):
    configure(settings, f"http://127.0.0.1:{_free_port()}")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert_refused(client.get(START), 502, "Acme ID could not be reached")


@pytest.mark.django_db
def test_refusals_are_in_french_too(sso, client, django_assert_max_num_queries):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    callback = to_provider(client, sso, "sub-fr", {"email": "fr@acme.test"})
    with django_assert_max_num_queries(15):
        response = client.get(callback)
    assert_refused(response, 403, "n’a pas vérifié votre adresse e-mail fr@acme.test")
    assert "Connexion non aboutie" in response.content.decode()


# --- Passwords switched off, except the break-glass administrators ----------------------------


@pytest.fixture
def sso_only(sso, settings):
    settings.RUCHE_PASSWORD_LOGIN = False
    settings.RUCHE_BREAK_GLASS_USERS = ["alex.admin"]
    return sso


def password_sign_in(client, username: str, url: str = "/accounts/login/"):
    return client.post(url, {"username": username, "password": TEST_PASSWORD})


@pytest.mark.django_db
def test_passwords_off_refuses_an_employee_with_the_right_password(sso_only, client, employee):
    response = password_sign_in(client, employee.username)
    assert response.status_code == 200
    assert "Your username or password is not right" in response.content.decode()
    assert signed_in_user(client) is None
    # Wagtail's admin login too.
    password_sign_in(client, employee.username, url="/admin/login/")
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_passwords_off_still_lets_the_break_glass_administrator_in(sso_only, client, administrator):
    assert password_sign_in(client, administrator.username).status_code == 302
    assert signed_in_user(client) == administrator


@pytest.mark.django_db
def test_a_break_glass_name_that_is_not_an_administrator_is_refused(sso_only, client, settings):
    UserFactory(username="not.admin")
    settings.RUCHE_BREAK_GLASS_USERS = ["not.admin"]
    password_sign_in(client, "not.admin")
    assert signed_in_user(client) is None


@pytest.mark.django_db
def test_passwords_off_the_login_page_puts_the_provider_first(sso_only, client):
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Acme ID" in page
    assert "Emergency sign-in for administrators" in page
    assert "Or with your Ruche username and password" not in page
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = client.get("/accounts/login/").content.decode()
    assert "Connexion de secours des administrateurs" in page


@pytest.mark.django_db
def test_passwords_off_reset_links_go_to_break_glass_administrators_only(
    sso_only, client, employee, administrator, django_capture_on_commit_callbacks
):
    for person in (employee, administrator):
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/accounts/password/reset/", {"email": person.email})
    assert [message.to for message in mail.outbox] == [[administrator.email]]


@pytest.mark.django_db
def test_sign_in_with_the_provider_works_with_passwords_off(sso_only, client, employee):
    sign_in(client, sso_only, "sub-claire", claims_of(employee.email))
    assert signed_in_user(client) == employee
