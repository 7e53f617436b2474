"""Sign-in and directory import from LDAP / Active Directory (README, "Connect your
directory", "LDAP and Active Directory").

ldap3 (pure Python: nothing to compile, on any machine) speaks the protocol. This module adds
what Ruche needs around it:

- `LdapBackend` checks a username and password typed into the usual login form against the
  directory: a search for the person (with the service account, or anonymously), then a bind as
  the entry found. The account is then found by e-mail or created, and department and job title
  follow the directory, by `people.services.user_sign_in_with_provider`, the same function as
  single sign-on;
- `directory_export` reads every person of the directory and writes them as the rows of the CSV
  import (`people.directory_import`), managers named by e-mail: `manage.py import_ldap` then
  goes through the very same plan, dry run, per-line checks, lock, all-or-nothing rule and audit.

With no RUCHE_LDAP_URL nothing here is used: the backend is not in AUTHENTICATION_BACKENDS.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import ssl
from dataclasses import dataclass, field
from typing import Any

import ldap3
from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ldap3.core.exceptions import LDAPException, LDAPInvalidDnError
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

from core.refusals import Refusal
from people import services
from people.models import User

logger = logging.getLogger(__name__)

PROVIDER_NAME = "LDAP"
# The attribute on the request where the backend leaves why a directory sign-in was refused,
# for the login form to say it (people.forms_auth.LoginForm).
REFUSAL_ATTRIBUTE = "ruche_ldap_refusal"
PAGE_SIZE = 500  # Active Directory answers at most 1,000 entries a page
INVALID_CREDENTIALS = 49


def ldap_enabled() -> bool:
    return bool(settings.RUCHE_LDAP_URL)


class DirectoryUnreachable(Refusal):
    """The directory did not answer (down, wrong address, TLS refused, service bind refused)."""

    status = 502


def _unreachable() -> DirectoryUnreachable:
    return DirectoryUnreachable(
        _(
            "The company directory could not be reached, so your password could not be "
            "checked. Try again in a moment; if it goes on, tell an administrator."
        )
    )


def _server() -> ldap3.Server:
    tls = ldap3.Tls(
        validate=ssl.CERT_REQUIRED,
        ca_certs_file=settings.RUCHE_LDAP_CA_FILE or None,
    )
    return ldap3.Server(
        settings.RUCHE_LDAP_URL,
        get_info=ldap3.NONE,
        tls=tls,
        connect_timeout=settings.RUCHE_LDAP_TIMEOUT,
    )


def _close(connection: ldap3.Connection) -> None:
    # After a failure the socket may already be gone: closing must not fail in its turn.
    with contextlib.suppress(LDAPException):
        connection.unbind()


def _connect(user: str | None, password: str | None) -> ldap3.Connection | None:
    """A connection bound as `user` (None: anonymously), or None if the directory refused
    these credentials. Raises DirectoryUnreachable when it cannot be asked at all."""
    connection = ldap3.Connection(
        _server(),
        user=user,
        password=password,
        receive_timeout=settings.RUCHE_LDAP_TIMEOUT,
        raise_exceptions=False,
    )
    try:
        connection.open()
        if settings.RUCHE_LDAP_START_TLS and not connection.start_tls():
            logger.warning("LDAP StartTLS refused by %s", settings.RUCHE_LDAP_URL)
            _close(connection)
            raise _unreachable()
        if connection.bind():
            return connection
    except LDAPException as error:
        logger.warning("LDAP server %s unreachable: %s", settings.RUCHE_LDAP_URL, error)
        _close(connection)
        raise _unreachable() from error
    result = connection.result or {}
    _close(connection)
    if result.get("result") != INVALID_CREDENTIALS:
        logger.warning("LDAP bind refused by %s: %s", settings.RUCHE_LDAP_URL, result)
    return None


def _service_connection() -> ldap3.Connection:
    """Bound with the service account (RUCHE_LDAP_BIND_DN), or anonymously without one. Its
    refusal is the operators' to fix: for the person signing in, the directory is unreachable."""
    connection = _connect(
        settings.RUCHE_LDAP_BIND_DN or None, settings.RUCHE_LDAP_BIND_PASSWORD or None
    )
    if connection is None:
        logger.error("LDAP service account %s refused", settings.RUCHE_LDAP_BIND_DN or "(anon)")
        raise _unreachable()
    return connection


@dataclass(frozen=True)
class DirectoryEntry:
    """One person of the directory: its DN and the first value of each configured attribute
    (under Ruche's names: email, first_name, ..., manager)."""

    dn: str
    values: dict[str, str] = field(default_factory=dict)


def _attributes() -> dict[str, str]:
    return {name: attr for name, attr in settings.RUCHE_LDAP_ATTRIBUTES.items() if attr}


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    # A CSV row per person: no line breaks inside a value (the row numbers name the entries).
    return " ".join(str(value or "").split())


def _entry(dn: str, attributes: dict[str, Any]) -> DirectoryEntry:
    lowered = {name.lower(): value for name, value in attributes.items()}
    values = {name: _first(lowered.get(attr.lower())) for name, attr in _attributes().items()}
    if not settings.RUCHE_LDAP_ATTRIBUTES["department"]:
        values["department"] = organisational_unit(dn)
    return DirectoryEntry(dn=dn, values=values)


def organisational_unit(dn: str) -> str:
    """The department an entry's place in the tree gives: its first `ou=` above itself
    (uid=jdoe,ou=Sales,ou=People,dc=example,dc=com is in Sales)."""
    try:
        parts = parse_dn(dn)
    except LDAPInvalidDnError:
        return ""
    for attribute, value, _separator in parts[1:]:
        if attribute.lower() == "ou":
            return str(value)
    return ""


def _dn_key(dn: str) -> str:
    try:
        return ",".join(f"{a.lower()}={v.lower()}" for a, v, _ in parse_dn(dn))
    except LDAPInvalidDnError:
        return dn.lower()


def _person_filter(username: str) -> str:
    attribute = settings.RUCHE_LDAP_ATTRIBUTES["username"]
    wanted = escape_filter_chars(username)  # "*" or ")" typed as a username match nothing more
    return f"(&{settings.RUCHE_LDAP_USER_FILTER}({attribute}={wanted}))"


def directory_sign_in(*, username: str, password: str) -> DirectoryEntry | None:
    """The directory's entry of `username` if `password` is theirs, else None (unknown
    username, several entries for it, wrong password, account locked in the directory).
    Raises DirectoryUnreachable when the directory cannot be asked."""
    if not username or not password:
        # A simple bind with an empty password is an anonymous bind, which succeeds.
        return None
    connection = _service_connection()
    try:
        connection.search(
            settings.RUCHE_LDAP_USER_BASE,
            _person_filter(username),
            search_scope=ldap3.SUBTREE,
            attributes=list(_attributes().values()),
            size_limit=2,
        )
        found = [r for r in connection.response or [] if r.get("type") == "searchResEntry"]
    except LDAPException as error:
        logger.warning("LDAP search failed at %s: %s", settings.RUCHE_LDAP_URL, error)
        raise _unreachable() from error
    finally:
        _close(connection)
    if len(found) != 1:
        if found:
            logger.warning("LDAP: several entries for the username %s", username)
        return None
    entry = _entry(found[0]["dn"], found[0].get("attributes", {}))
    bound = _connect(entry.dn, password)
    if bound is None:
        return None
    _close(bound)
    return entry


def identity_of(entry: DirectoryEntry) -> services.ProviderIdentity:
    """What the directory says of a person, as single sign-on would. The directory's e-mail
    addresses are the company's own: they count as verified."""
    values = entry.values
    return services.ProviderIdentity(
        provider=PROVIDER_NAME,
        subject=entry.dn,
        email=values.get("email", ""),
        email_verified=True,
        username=values.get("username", ""),
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        department=values.get("department"),
        job_title=values.get("job_title"),
    )


class LdapBackend(BaseBackend):
    """The login form's username and password, checked by the directory. A username the
    directory does not know, or a wrong password, goes on to the local passwords (Ruche's own
    accounts, the break-glass administrators); so does a directory that cannot be reached, and
    the form then says so. A person the directory knows but Ruche refuses (deactivated here)
    stops here: PermissionDenied, and the form says why."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not ldap_enabled() or not username or not password:
            return None
        try:
            entry = directory_sign_in(username=username, password=password)
            if entry is None:
                return None
            return services.user_sign_in_with_provider(
                identity=identity_of(entry), create=settings.RUCHE_LDAP_CREATE_ACCOUNTS
            )
        except DirectoryUnreachable as refusal:
            _note_refusal(request, refusal)
            return None
        except Refusal as refusal:
            _note_refusal(request, refusal)
            raise PermissionDenied from refusal

    def get_user(self, user_id: int) -> User | None:
        # A deactivated account's session ends on its next request.
        user = User.objects.filter(pk=user_id, is_active=True).first()
        return user


def _note_refusal(request: HttpRequest | None, refusal: Refusal) -> None:
    if request is not None:
        setattr(request, REFUSAL_ATTRIBUTE, str(refusal.message))


def refusal_of(request: HttpRequest | None) -> str | None:
    """Why the directory refused this request's sign-in, if it did (see LdapBackend)."""
    value = getattr(request, REFUSAL_ATTRIBUTE, None)
    return value if isinstance(value, str) else None


# --- Directory import ---------------------------------------------------------------------------

# The CSV import's columns (people.directory_import.COLUMNS) each attribute fills.
EXPORT_COLUMNS = {
    "email": "email",
    "first_name": "first_name",
    "last_name": "last_name",
    "username": "username",
    "department": "department",
    "job_title": "job_title",
    "manager": "manager_email",
}


@dataclass
class DirectoryExport:
    """The directory as the CSV import's rows: `content` (a CSV file), `entries` (the DN of
    each line, by line number: the plan's errors name lines) and the errors found while
    reading (a manager outside the people read)."""

    content: bytes
    entries: dict[int, str]
    errors: list[str]

    @property
    def count(self) -> int:
        return len(self.entries)


def read_people() -> list[DirectoryEntry]:
    """Every person under RUCHE_LDAP_USER_BASE matching RUCHE_LDAP_USER_FILTER, page by page,
    in DN order (the same directory gives the same rows, so the same plan digest)."""
    connection = _service_connection()
    try:
        results = connection.extend.standard.paged_search(
            settings.RUCHE_LDAP_USER_BASE,
            settings.RUCHE_LDAP_USER_FILTER,
            search_scope=ldap3.SUBTREE,
            attributes=list(_attributes().values()),
            paged_size=PAGE_SIZE,
            generator=False,
        )
        if not connection.result or connection.result.get("result") != 0:
            logger.error("LDAP search failed at %s: %s", settings.RUCHE_LDAP_URL, connection.result)
            raise _unreachable()
    except LDAPException as error:
        logger.warning("LDAP search failed at %s: %s", settings.RUCHE_LDAP_URL, error)
        raise _unreachable() from error
    finally:
        _close(connection)
    entries = [
        _entry(r["dn"], r.get("attributes", {}))
        for r in results
        if r.get("type") == "searchResEntry"
    ]
    return sorted(entries, key=lambda e: _dn_key(e.dn))


def directory_export(entries: list[DirectoryEntry] | None = None) -> DirectoryExport:
    """The people of the directory as a CSV file for `people.directory_import.plan_import`,
    managers (DNs in the directory) turned into their e-mail addresses. A column is written
    only for the attributes configured: an attribute left out is not managed."""
    if entries is None:
        entries = read_people()
    names = [name for name in EXPORT_COLUMNS if name in entries[0].values] if entries else []
    if "email" not in names:
        names.insert(0, "email")
    email_of = {_dn_key(e.dn): e.values.get("email", "") for e in entries}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", lineterminator="\n")
    writer.writerow([EXPORT_COLUMNS[name] for name in names])
    lines: dict[int, str] = {}
    errors: list[str] = []
    if not entries:
        # A wrong base or filter reads nobody: importing that (with --deactivate-missing) would
        # deactivate everyone, so it is an error, never an empty directory.
        errors.append(
            _("The directory lists nobody under %(base)s with the filter %(filter)s.")
            % {"base": settings.RUCHE_LDAP_USER_BASE, "filter": settings.RUCHE_LDAP_USER_FILTER}
        )
    for number, entry in enumerate(entries, start=2):  # the header is line 1
        row = dict(entry.values)
        manager_dn = row.get("manager", "")
        if manager_dn:
            row["manager"] = email_of.get(_dn_key(manager_dn), "")
            if not row["manager"]:
                errors.append(
                    _(
                        "%(dn)s: its manager %(manager)s is not among the people read "
                        "(RUCHE_LDAP_USER_BASE and RUCHE_LDAP_USER_FILTER), or has no e-mail."
                    )
                    % {"dn": entry.dn, "manager": manager_dn}
                )
        writer.writerow([row.get(name, "") for name in names])
        lines[number] = entry.dn
    return DirectoryExport(content=buffer.getvalue().encode(), entries=lines, errors=errors)
