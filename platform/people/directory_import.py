"""The directory from a CSV file (README, "Connect your directory", "CSV import"): read the
whole file, check every line, and compute the plan of what would change, before anything is
written. Nothing here writes: `console.services.directory_import_apply` applies a plan inside
one transaction, with its audit entries, and the console's page and `manage.py import_people`
show the same plan as a dry run.

Reading costs a fixed number of queries whatever the size of the file: every account and every
department is read once (a directory is thousands of rows, not millions), and the plan is then
computed in memory. Applying it costs a write per created or changed row.

Decisions the README documents:
- People are matched by e-mail address, case-insensitively. `username` is used only to create
  an account (by default the part of the e-mail before "@").
- A column left out of the file is not managed: nobody's value changes. A cell left empty clears
  the value (no department, no manager, no job title, no name), except `language`, where an
  empty cell keeps the current language (the site's default for a new account).
- An unknown department is created, and the plan says so.
- A manager is named by e-mail: someone in the same file (in any order) or an active account.
  Nobody manages themselves, directly or through a chain (cycles are refused).
- A person in the file whose account was deactivated is reactivated.
- People absent from the file are deactivated only when asked (`deactivate_missing`), never
  administrators, and never the person importing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.models import Department, Language, User

# Columns the file may have, in the order the README lists them. `email` is required.
COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "username",
    "department",
    "job_title",
    "manager_email",
    "language",
)
MAX_LENGTHS = {
    "email": 254,
    "first_name": 150,
    "last_name": 150,
    "username": 150,
    "department": 120,
    "job_title": 150,
}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ERRORS = 200  # enough to fix a file; more would only hide the first ones

# The account fields an import changes, with their label in the plan (and in the audit log,
# where the model's own verbose names are used).
FIELD_LABELS = {
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "email": gettext_lazy("e-mail"),
    "department": gettext_lazy("department"),
    "job_title": gettext_lazy("job title"),
    "manager": gettext_lazy("manager"),
    "preferred_language": gettext_lazy("language"),
}
# The file's column for each field (errors name the column the person must fix).
FIELD_COLUMNS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "department": "department",
    "job_title": "job_title",
    "manager": "manager_email",
    "preferred_language": "language",
}


class Action:
    CREATE = "create"
    UPDATE = "update"
    REACTIVATE = "reactivate"
    DEACTIVATE = "deactivate"


ACTION_LABELS = {
    Action.CREATE: gettext_lazy("Create"),
    Action.UPDATE: gettext_lazy("Update"),
    Action.REACTIVATE: gettext_lazy("Reactivate"),
    Action.DEACTIVATE: gettext_lazy("Deactivate"),
}


@dataclass(frozen=True)
class LineError:
    """What is wrong, where: the line of the file (the header is line 1) and its column."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Line %(line)d, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])


@dataclass
class PlannedPerson:
    """One account the import creates, changes, reactivates or deactivates. `values` are the
    final values (department and manager by their name and e-mail); `changes` what differs."""

    action: str
    line: int | None  # None: absent from the file (a deactivation)
    email: str
    name: str
    user_id: int | None = None
    username: str = ""
    values: dict[str, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class Plan:
    """What the import would do, or why it cannot. `digest` identifies the file, the options
    and the resulting plan: the page's confirmation applies a plan only if recomputing it gives
    the same digest (the directory did not change since the preview)."""

    errors: list[LineError] = field(default_factory=list)
    people: list[PlannedPerson] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_administrators: list[str] = field(default_factory=list)
    rows: int = 0
    columns: tuple[str, ...] = ()
    digest: str = ""

    @property
    def valid(self) -> bool:
        return not self.errors

    def of(self, action: str) -> list[PlannedPerson]:
        return [person for person in self.people if person.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {action: len(self.of(action)) for action in ACTION_LABELS}

    @property
    def has_changes(self) -> bool:
        return bool(self.people or self.new_departments)


# --- Reading the file ---------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    text = content.decode("utf-8-sig")  # UTF-8, with or without the BOM Excel writes
    return text


def _delimiter(header_line: str) -> str:
    # French Excel writes ";" (the comma is the decimal separator); others ",". The header
    # decides: it has only column names, so whichever separator it holds is the file's.
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_rows(
    content: bytes,
) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[LineError]]:
    """The header and each line's cells (with its line number), or the errors of the file
    itself (encoding, header)."""
    if len(content) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        return [], [], [LineError(0, "", _("The file is larger than %(mb)d MB.") % {"mb": limit})]
    try:
        text = _decode(content)
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return [], [], [LineError(line, "", _("The file is not UTF-8 text: save it as CSV UTF-8."))]
    if not text.strip():
        return [], [], [LineError(1, "", _("The file is empty."))]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text.splitlines()[0]))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as error:
        return [], [], [LineError(1, "", str(error))]
    errors = _header_errors(header)
    if errors:
        return header, [], errors
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line (Excel often leaves some at the end)
            if len(cells) > len(header):
                errors.append(
                    LineError(
                        line,
                        "",
                        _("This line has %(cells)d cells; the header has %(columns)d columns.")
                        % {"cells": len(cells), "columns": len(header)},
                    )
                )
                continue
            cells += [""] * (len(header) - len(cells))
            rows.append(
                (line, {name: cell.strip() for name, cell in zip(header, cells, strict=True)})
            )
    except csv.Error as error:
        errors.append(LineError(start, "", str(error)))
    return header, rows, errors


def _header_errors(header: list[str]) -> list[LineError]:
    errors = []
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        errors.append(
            LineError(
                1,
                ", ".join(unknown),
                _("Unknown column. The columns are: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)},
            )
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        errors.append(LineError(1, ", ".join(repeated), _("This column appears twice.")))
    if "email" not in header:
        errors.append(LineError(1, "email", _("The email column is required.")))
    return errors


# --- Planning ------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    email: str  # as written
    key: str  # lower case
    cells: dict[str, str]
    existing: dict[str, Any] | None = None


ACCOUNT_VALUES = (
    "pk",
    "username",
    "email",
    "first_name",
    "last_name",
    "department_id",
    "job_title",
    "manager_id",
    "preferred_language",
    "is_active",
    "is_superuser",
)


def _language(value: str) -> str | None:
    value = value.strip().lower()
    if value in Language.values:
        return value
    for code, label in Language.choices:
        if value in {str(label).lower(), code}:
            return str(code)
    names = {"français": "fr", "francais": "fr", "french": "fr", "anglais": "en", "english": "en"}
    return names.get(value)


def _check_cells(row: _Row, errors: list[LineError]) -> None:
    for column, limit in MAX_LENGTHS.items():
        if len(row.cells.get(column, "")) > limit:
            errors.append(
                LineError(
                    row.line,
                    column,
                    _("At most %(limit)d characters (this one has %(length)d).")
                    % {"limit": limit, "length": len(row.cells[column])},
                )
            )
    if not row.email:
        errors.append(LineError(row.line, "email", _("The e-mail address is required.")))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(
                LineError(
                    row.line,
                    "email",
                    _("“%(value)s” is not a valid e-mail address.") % {"value": row.email},
                )
            )
    manager = row.cells.get("manager_email", "")
    if manager:
        try:
            validate_email(manager)
        except ValidationError:
            errors.append(
                LineError(
                    row.line,
                    "manager_email",
                    _("“%(value)s” is not a valid e-mail address.") % {"value": manager},
                )
            )
    language = row.cells.get("language", "")
    if language and _language(language) is None:
        errors.append(
            LineError(
                row.line,
                "language",
                _("“%(value)s” is not a language of Ruche: write fr or en.") % {"value": language},
            )
        )
    username = row.cells.get("username", "")
    if username:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors.append(
                LineError(
                    row.line,
                    "username",
                    _("“%(value)s” is not a valid username: letters, digits and @ . + - _ only.")
                    % {"value": username},
                )
            )


def _default_username(email: str) -> str:
    local = email.split("@", 1)[0]
    return "".join(c for c in local if c.isalnum() or c in "@.+-_")[:150] or "employee"


def plan_import(
    content: bytes, *, deactivate_missing: bool = False, actor_id: int | None = None
) -> Plan:
    """The plan of what importing `content` would change, or its errors (then the plan has no
    change: nothing may be applied). Reads every account and department once."""
    plan = Plan()
    header, cells, errors = read_rows(content)
    plan.columns = tuple(header)
    plan.rows = len(cells)
    plan.errors = errors
    if errors and not cells:
        return _finished(plan, content, deactivate_missing)
    accounts = list(User.objects.values(*ACCOUNT_VALUES))
    departments = {d.pk: d for d in Department.objects.only("pk", "name", "slug")}
    by_email: dict[str, list[dict[str, Any]]] = {}
    for account in accounts:
        if account["email"]:
            by_email.setdefault(account["email"].lower(), []).append(account)
    by_id = {account["pk"]: account for account in accounts}
    usernames = {account["username"].lower(): account for account in accounts}

    rows = _rows(cells, by_email, plan.errors)
    _check_usernames(rows, usernames, plan.errors)
    department_of = _departments(rows, departments, plan)
    managers = _managers(rows, by_email, by_id, plan.errors)
    if plan.errors:
        plan.errors.sort(key=lambda e: (e.line, e.column))
        del plan.errors[MAX_ERRORS:]
        return _finished(plan, content, deactivate_missing)

    for row in rows:
        _plan_row(plan, row, department_of, managers, departments, by_id)
    if deactivate_missing:
        _plan_deactivations(plan, rows, accounts, actor_id)
        leaving = {p.email.lower() for p in plan.of(Action.DEACTIVATE) if p.email}
        for planned in plan.people:
            manager = planned.values.get("manager", "")
            if manager in leaving:
                plan.errors.append(
                    LineError(
                        planned.line or 0,
                        "manager_email",
                        _("%(email)s is not in the file: this import would deactivate them.")
                        % {"email": manager},
                    )
                )
        if plan.errors:
            plan.people, plan.new_departments = [], []
    return _finished(plan, content, deactivate_missing)


def _rows(
    cells: list[tuple[int, dict[str, str]]],
    by_email: dict[str, list[dict[str, Any]]],
    errors: list[LineError],
) -> list[_Row]:
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    for line, values in cells:
        email = values.get("email", "")
        row = _Row(line=line, email=email, key=email.lower(), cells=values)
        _check_cells(row, errors)
        if row.key:
            if row.key in first_line:
                errors.append(
                    LineError(
                        line,
                        "email",
                        _("%(email)s is already on line %(first)d.")
                        % {"email": email, "first": first_line[row.key]},
                    )
                )
                continue
            first_line[row.key] = line
            found = by_email.get(row.key, [])
            if len(found) > 1:
                errors.append(
                    LineError(
                        line,
                        "email",
                        _("Several accounts have the e-mail %(email)s: give each its own first.")
                        % {"email": email},
                    )
                )
            row.existing = found[0] if len(found) == 1 else None
        rows.append(row)
    return rows


def _check_usernames(
    rows: list[_Row], usernames: dict[str, dict[str, Any]], errors: list[LineError]
) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.existing is not None or not row.key:
            continue  # the username serves only to create an account
        username = row.cells.get("username") or _default_username(row.email)
        row.cells["username"] = username
        key = username.lower()
        if key in seen:
            errors.append(
                LineError(
                    row.line,
                    "username",
                    _("The username %(username)s is already on line %(first)d.")
                    % {"username": username, "first": seen[key]},
                )
            )
        elif key in usernames:
            errors.append(
                LineError(
                    row.line,
                    "username",
                    _("The username %(username)s belongs to another account (%(email)s).")
                    % {"username": username, "email": usernames[key]["email"] or "-"},
                )
            )
        seen.setdefault(key, row.line)


def _departments(
    rows: list[_Row], departments: dict[int, Department], plan: Plan
) -> dict[str, int | str]:
    """Each department name of the file: an existing department's id, or the name of one the
    import creates (matched by name or slug, case-insensitively)."""
    known: dict[str, int | str] = {}
    for department in departments.values():
        known[department.name.lower()] = department.pk
        known.setdefault(department.slug.lower(), department.pk)
    for row in rows:
        name = row.cells.get("department", "")
        if not name or name.lower() in known:
            continue
        if not slugify(name):
            plan.errors.append(
                LineError(
                    row.line,
                    "department",
                    _("“%(value)s” cannot name a department: use letters or digits.")
                    % {"value": name},
                )
            )
            continue
        known[name.lower()] = name
        plan.new_departments.append(name)
    return known


def _managers(
    rows: list[_Row],
    by_email: dict[str, list[dict[str, Any]]],
    by_id: dict[int, dict[str, Any]],
    errors: list[LineError],
) -> dict[str, str]:
    """Each person's manager after the import (e-mail keys, lower case), checked: known,
    active, not themselves, no cycle."""
    in_file = {row.key: row for row in rows if row.key}
    managed = "manager_email" in (rows[0].cells if rows else {})
    final: dict[str, str] = {}
    # People outside the file keep their manager: a cycle may go through them.
    for key, found in by_email.items():
        if key in in_file or len(found) != 1:
            continue
        manager = by_id.get(found[0]["manager_id"] or 0)
        if manager is not None and manager["email"]:
            final[key] = manager["email"].lower()
    for row in rows:
        if not row.key:
            continue
        if not managed:
            if row.existing is not None:
                manager = by_id.get(row.existing["manager_id"] or 0)
                if manager is not None and manager["email"]:
                    final[row.key] = manager["email"].lower()
            continue
        value = row.cells.get("manager_email", "")
        key = value.lower()
        if not value:
            continue
        if key == row.key:
            errors.append(LineError(row.line, "manager_email", _("Nobody is their own manager.")))
            continue
        if key not in in_file:
            found = by_email.get(key, [])
            if len(found) != 1 or not found[0]["is_active"]:
                errors.append(
                    LineError(
                        row.line,
                        "manager_email",
                        _("%(email)s is neither in the file nor an active account.")
                        % {"email": value},
                    )
                )
                continue
        final[row.key] = key
    for row in rows:
        cycle = _cycle_from(row.key, final)
        if cycle:
            errors.append(
                LineError(
                    row.line,
                    "manager_email",
                    _("These people would manage each other in a circle: %(chain)s.")
                    % {"chain": " → ".join(cycle)},
                )
            )
    return final


def _cycle_from(start: str, final: dict[str, str]) -> list[str]:
    """The circle of managers `start` is on, or [] (being under a circle is not being on it:
    the line of the circle's members reports it)."""
    seen: list[str] = []
    key = start
    while key in final and key not in seen:
        seen.append(key)
        key = final[key]
    if key == start and seen:
        return [*seen, start]
    return []


def _plan_row(
    plan: Plan,
    row: _Row,
    department_of: dict[str, int | str],
    managers: dict[str, str],
    departments: dict[int, Department],
    by_id: dict[int, dict[str, Any]],
) -> None:
    cells = row.cells
    values: dict[str, str] = {}
    for name in ("first_name", "last_name", "job_title"):
        if name in cells:
            values[name] = cells[name]
    if "department" in cells:
        target = department_of.get(cells["department"].lower(), "") if cells["department"] else ""
        values["department"] = departments[target].name if isinstance(target, int) else target
    if "manager_email" in cells:
        values["manager"] = managers.get(row.key, "")
    if cells.get("language"):
        values["preferred_language"] = _language(cells["language"]) or ""
    existing = row.existing
    name = " ".join(p for p in (cells.get("first_name", ""), cells.get("last_name", "")) if p)
    if existing is None:
        values.setdefault("preferred_language", settings.LANGUAGE_CODE[:2])
        values["email"] = row.email
        plan.people.append(
            PlannedPerson(
                action=Action.CREATE,
                line=row.line,
                email=row.email,
                name=name or row.email,
                username=cells["username"],
                values=values,
                changes=[Change(k, "", v) for k, v in values.items() if v and k != "email"],
            )
        )
        return
    current = _current(existing, departments, by_id)
    if row.email != existing["email"]:
        values["email"] = row.email  # the same address, written otherwise (case)
    changes = [Change(k, current[k], v) for k, v in values.items() if current[k] != v]
    reactivate = not existing["is_active"]
    if not changes and not reactivate:
        plan.unchanged += 1
        return
    plan.people.append(
        PlannedPerson(
            action=Action.REACTIVATE if reactivate else Action.UPDATE,
            line=row.line,
            email=row.email,
            name=name or existing["email"],
            user_id=existing["pk"],
            username=existing["username"],
            values={c.field: c.after for c in changes},
            changes=changes,
        )
    )


def _current(
    account: dict[str, Any], departments: dict[int, Department], by_id: dict[int, dict[str, Any]]
) -> dict[str, str]:
    department = departments.get(account["department_id"] or 0)
    manager = by_id.get(account["manager_id"] or 0)
    return {
        "first_name": account["first_name"],
        "last_name": account["last_name"],
        "email": account["email"],
        "job_title": account["job_title"],
        "department": department.name if department else "",
        "manager": (manager["email"] or "").lower() if manager else "",
        "preferred_language": account["preferred_language"],
    }


def _plan_deactivations(
    plan: Plan, rows: list[_Row], accounts: list[dict[str, Any]], actor_id: int | None
) -> None:
    listed = {row.existing["pk"] for row in rows if row.existing is not None}
    for account in accounts:
        if not account["is_active"] or account["pk"] in listed:
            continue
        label = account["email"] or account["username"]
        if account["is_superuser"] or account["pk"] == actor_id:
            plan.kept_administrators.append(label)
            continue
        plan.people.append(
            PlannedPerson(
                action=Action.DEACTIVATE,
                line=None,
                email=account["email"],
                name=" ".join(p for p in (account["first_name"], account["last_name"]) if p)
                or label,
                user_id=account["pk"],
                username=account["username"],
            )
        )


def _finished(plan: Plan, content: bytes, deactivate_missing: bool) -> Plan:
    described = {
        "file": hashlib.sha256(content).hexdigest(),
        "deactivate_missing": deactivate_missing,
        "errors": [(e.line, e.column, e.message) for e in plan.errors],
        "people": [
            (
                p.action,
                p.line,
                p.email,
                p.user_id,
                [(c.field, c.before, c.after) for c in p.changes],
            )
            for p in plan.people
        ],
        "departments": plan.new_departments,
    }
    plan.digest = hashlib.sha256(
        json.dumps(described, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return plan
