"""Writes of the governance console: reports and moderation decisions, the roles that carry
publishing rights, calendar feed tokens, the executives' questionnaire. One function per write
(DESIGN.md); each checks permission and writes its audit entry in the same transaction.

Moderation decisions hide and restore content through the kernel's one path
(`governance.services.content_hide` / `content_restore`), which checks the content's own
rule, writes the content's audit row and tells its author why: a report decision adds only
its own row (`report.hidden`, ...) and never notifies the author a second time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from console.models import (
    CalendarToken,
    ContentKind,
    MaturityStage,
    QuestionnaireResponse,
    Report,
    ReportReason,
    ReportStatus,
)
from console.permissions import (
    can_answer_questionnaire,
    can_change_rights,
    can_import_directory,
    can_moderate_report,
    can_report,
    can_view_calendar,
)
from console.questionnaire import ANSWER_MAX_LENGTH, QUESTION_KEYS
from core import content
from core.refusals import NotFound, Refusal
from governance.services import audit_record, content_hide, content_restore
from people import services as people_services
from people.directory_import import Action, Plan, plan_import
from people.models import Department, PersonalToken, User

# --- Moderation -------------------------------------------------------------------------------

NOTE_MAX_LENGTH = 500  # the decision form's limit; the content keeps it as its hiding reason


def _report_snapshot(report: Report) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "object_id": report.object_id,
        "status": report.status,
        "reason": report.reason,
        "decision_note": report.decision_note,
    }


def _reportable(
    reporter: User, kind: str, object_id: int
) -> tuple[content.ContentKind, models.Model]:
    """The kind and object reported, or NotFound: an unknown kind, no such object, content
    that cannot be hidden (a community), or content the reporter may not see."""
    found = content.load(kind, object_id) if kind in ContentKind.values else None
    if found is None or found[0].hide is None or not found[0].visible_to(reporter, found[1]):
        raise NotFound(_("This content does not exist."))
    return found


def _report_checked_input(reason: str, details: str) -> str:
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    details = (details or "").strip()
    if reason == ReportReason.OTHER and not details:
        raise ValidationError({"details": _("Say in a few words what is wrong.")})
    return details


@transaction.atomic
def report_create(
    *, reporter: User, kind: str, object_id: int, reason: str, details: str = ""
) -> tuple[Report, bool]:
    """An employee reports a post, thread, comment or reply they can see.

    Returns (report, created): reporting the same content twice while the first report is
    still open returns the first one. Raises `NotFound` when the content does not exist for
    the reporter, `ValidationError` when the input is not acceptable.
    """
    if not can_report(reporter):
        raise PermissionDenied
    found, obj = _reportable(reporter, kind, object_id)
    details = _report_checked_input(reason, details)
    author = found.author(obj)
    if author is not None and author.pk == reporter.pk:
        raise ValidationError(_("This is your own content: edit or delete it instead."))
    existing = Report.objects.filter(
        reporter=reporter, kind=kind, object_id=object_id, status=ReportStatus.OPEN
    ).first()
    if existing is not None:
        return existing, False
    report = Report(
        reporter=reporter,
        kind=kind,
        object_id=object_id,
        author=author,
        community_id=found.community_id(obj),
        excerpt=found.excerpt(obj)[:300],
        url=found.url(obj)[:500],
        reason=reason,
        details=details,
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=reporter, action="report.created", target=report, after=_report_snapshot(report)
    )
    return report, True


def _decide(
    *,
    moderator: User,
    report: Report,
    reports: models.QuerySet[Report],
    status: str,
    note: str,
    action: str,
) -> int:
    # The caller's copy may be stale; the row is locked (`_locked_reports`): read it again.
    report.refresh_from_db()
    before = _report_snapshot(report)
    count = reports.update(
        status=status, decided_by=moderator, decided_at=timezone.now(), decision_note=note
    )
    report.refresh_from_db()
    audit_record(
        actor=moderator,
        action=action,
        target=report,
        before=before,
        after={**_report_snapshot(report), "reports_closed": count},
    )
    return count


def _check_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError(
            {"note": _("Explain the decision: the author will read this explanation.")}
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("At most %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH}}
        )
    return note


def _reported_object(report: Report) -> models.Model:
    found = content.load(report.kind, report.object_id)
    if found is None:
        raise NotFound(_("This content no longer exists."))
    return found[1]


def _locked_reports(
    report: Report, *, status: str, refusal: str | Promise
) -> models.QuerySet[Report]:
    """Every report on the same content in `status`, locked; refuses when `report` is not one
    of them (decided meanwhile)."""
    reports = Report.objects.select_for_update().filter(
        kind=report.kind, object_id=report.object_id, status=status
    )
    if not reports.filter(pk=report.pk).exists():
        raise ValidationError(str(refusal))
    return reports


def report_hide(*, moderator: User, report: Report, note: str) -> Report:
    """Hide the reported content and close every open report on it. `note` is required: it is
    the hiding reason, which the author reads (told once, by `content_hide`). Nothing is
    deleted."""
    if not can_moderate_report(moderator, report):
        raise PermissionDenied
    note = _check_note(note, required=True)
    with transaction.atomic():
        reports = _locked_reports(
            report, status=ReportStatus.OPEN, refusal=_("This report was already decided.")
        )
        content_hide(actor=moderator, obj=_reported_object(report), reason=note)
        _decide(
            moderator=moderator,
            report=report,
            reports=reports,
            status=ReportStatus.HIDDEN,
            note=note,
            action="report.hidden",
        )
    return report


def report_dismiss(*, moderator: User, report: Report, note: str = "") -> Report:
    """Nothing to do: close every open report on this content; the content stays as it is."""
    if not can_moderate_report(moderator, report):
        raise PermissionDenied
    note = _check_note(note, required=False)
    with transaction.atomic():
        reports = _locked_reports(
            report, status=ReportStatus.OPEN, refusal=_("This report was already decided.")
        )
        _decide(
            moderator=moderator,
            report=report,
            reports=reports,
            status=ReportStatus.DISMISSED,
            note=note,
            action="report.dismissed",
        )
    return report


def report_restore(*, moderator: User, report: Report, note: str = "") -> Report:
    """Undo a hiding decided from this report: the content is shown again and its author told
    (by `content_restore`)."""
    if not can_moderate_report(moderator, report):
        raise PermissionDenied
    note = _check_note(note, required=False)
    with transaction.atomic():
        reports = _locked_reports(
            report, status=ReportStatus.HIDDEN, refusal=_("Only hidden content can be restored.")
        )
        content_restore(actor=moderator, obj=_reported_object(report))
        _decide(
            moderator=moderator,
            report=report,
            reports=reports,
            status=ReportStatus.RESTORED,
            note=note or report.decision_note,
            action="report.restored",
        )
    return report


# --- Publishing rights --------------------------------------------------------------------------

# The roles held on the employee record that give publishing rights (people.User): an
# executive's posts go to the Leadership space; a community manager may create and run
# communities. (A manager *of one community* is that community's business:
# `communities.services.community_role_set`.)
ROLE_FIELDS = {
    "executive": "is_executive",
    "community_manager": "is_community_manager",
    "communications": "is_communications",
}


@transaction.atomic
def role_set(*, actor: User, person: User, role: str, granted: bool) -> User:
    """Grant or withdraw a role that carries publishing rights; audited (role.granted /
    role.withdrawn, with the before and after values)."""
    if not can_change_rights(actor):
        raise PermissionDenied
    if role not in ROLE_FIELDS:
        raise ValidationError(_("Unknown role."))
    field = ROLE_FIELDS[role]
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise ValidationError(_("This account is deactivated."))
    before = getattr(person, field)
    if before == granted:
        return person
    setattr(person, field, granted)
    person.save(update_fields=[field])
    audit_record(
        actor=actor,
        action="role.granted" if granted else "role.withdrawn",
        target=person,
        before={field: before},
        after={field: granted},
    )
    return person


# The account flags an administrator changes in the Django admin: every change is audited, in
# the admin's own save transaction (`console.admin.EmployeeAdmin.save_model`), like `role_set`.
ACCOUNT_FLAGS = (
    "is_superuser",
    "is_staff",
    "is_active",
    "is_executive",
    "is_community_manager",
    "is_communications",
)


def account_flags_locked(*, person_id: int | None) -> dict[str, bool]:
    """The account's flags as the database holds them, the row locked until the caller's
    transaction ends (all False for an account not created yet). Read before the save."""
    if person_id is None:
        return dict.fromkeys(ACCOUNT_FLAGS, False)
    person = User.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        return dict.fromkeys(ACCOUNT_FLAGS, False)
    return {field: bool(getattr(person, field)) for field in ACCOUNT_FLAGS}


def account_flags_audit(*, actor: User, person: User, before: dict[str, bool]) -> int:
    """One audit entry per flag that changed between `before` (from `account_flags_locked`)
    and the saved row: role.granted / role.withdrawn, account.deactivated / .reactivated.
    Call inside the transaction of the save. Returns the number of entries written."""
    saved = User.objects.get(pk=person.pk)
    written = 0
    for field in ACCOUNT_FLAGS:
        old, new = before[field], bool(getattr(saved, field))
        if old == new:
            continue
        if field == "is_active":
            action = "account.reactivated" if new else "account.deactivated"
        else:
            action = "role.granted" if new else "role.withdrawn"
        audit_record(
            actor=actor, action=action, target=saved, before={field: old}, after={field: new}
        )
        written += 1
    return written


# --- Directory import (CSV) -------------------------------------------------------------------


class DirectoryChanged(Refusal):
    """The plan computed at confirmation differs from the one previewed: the file or the
    directory changed in between. Carries the new plan, to preview again."""

    status = 409

    def __init__(self, plan: Plan) -> None:
        super().__init__(
            _(
                "The directory changed since the preview: nothing was imported. "
                "Check the new preview and confirm again."
            )
        )
        self.plan = plan


class ImportInvalid(Refusal):
    """At least one line of the file is wrong: nothing was written. Carries the plan and its
    errors."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(_("The file has errors: nothing was imported."))
        self.plan = plan


def directory_import_preview(
    *, actor: User | None, content: bytes, deactivate_missing: bool
) -> Plan:
    """The dry run: what importing `content` would change, or its errors. Writes nothing.
    `actor` None: the command line (an operator of the server)."""
    if actor is not None and not can_import_directory(actor):
        raise PermissionDenied
    return plan_import(
        content, deactivate_missing=deactivate_missing, actor_id=actor.pk if actor else None
    )


# Any fixed number: the key of the PostgreSQL advisory lock that serialises directory imports.
DIRECTORY_LOCK_KEY = 0x52554348  # "RUCH"


def _directory_lock() -> None:
    """Two imports at once would each plan against the other's missing writes: the second
    waits here until the first commits (PostgreSQL; SQLite allows one writer anyway)."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DIRECTORY_LOCK_KEY])


@transaction.atomic
def directory_import_apply(
    *,
    actor: User | None,
    content: bytes,
    deactivate_missing: bool,
    expected_digest: str | None = None,
    send_welcome: bool = True,
) -> Plan:
    """Import the directory from a CSV file: all of it or nothing.

    The plan is computed again here, inside the transaction (so what is applied is what the
    database holds now); any error refuses the whole file (`ImportInvalid`), and with
    `expected_digest` (the preview's) a plan that differs from the preview is refused too
    (`DirectoryChanged`). Every account goes through the people services, which date any
    change of department or status in `PersonHistory`: the participation events already
    recorded keep the department they were in. Each created department, created account,
    change, reactivation and deactivation has its audit entry, and one entry sums the import.
    Deactivated people's sessions end after the commit.
    """
    if actor is not None and not can_import_directory(actor):
        raise PermissionDenied
    _directory_lock()
    plan = plan_import(
        content, deactivate_missing=deactivate_missing, actor_id=actor.pk if actor else None
    )
    if not plan.valid:
        raise ImportInvalid(plan)
    if expected_digest is not None and plan.digest != expected_digest:
        raise DirectoryChanged(plan)
    departments = _created_departments(actor, plan)
    departments.update(
        {d.name: d for d in Department.objects.filter(name__in=_department_names(plan))}
    )
    by_id, people = _people_of(plan)
    created = _create_people(actor, plan, departments, send_welcome=send_welcome)
    people.update(created)
    deactivated: set[int] = set()
    for planned in plan.people:
        if planned.action == Action.CREATE or planned.user_id is None:
            continue
        person = by_id[planned.user_id]
        if planned.action == Action.DEACTIVATE:
            people_services.person_active_set(person=person, active=False, end_sessions=False)
            audit_record(
                actor=actor,
                action="account.deactivated",
                target=person,
                before={"is_active": True},
                after={"is_active": False},
            )
            deactivated.add(person.pk)
            continue
        _update_person(actor, planned, person, people, departments)
    # The managers of new accounts, now that every account exists.
    for planned in plan.of(Action.CREATE):
        manager = planned.values.get("manager")
        if manager:
            people_services.person_directory_update(
                person=created[planned.email.lower()], values={"manager": people[manager]}
            )
    audit_record(
        actor=actor,
        action="directory.imported",
        target=None,
        after={
            **plan.counts,
            "departments": len(plan.new_departments),
            "unchanged": plan.unchanged,
            "file": plan.digest[:16],
        },
    )
    if deactivated:
        transaction.on_commit(lambda: people_services.sessions_end(user_ids=deactivated))
    return plan


def _department_names(plan: Plan) -> set[str]:
    return {p.values["department"] for p in plan.people if p.values.get("department")}


def _created_departments(actor: User | None, plan: Plan) -> dict[str, Department]:
    taken = set(Department.objects.values_list("slug", flat=True))
    created = {}
    for name in plan.new_departments:
        department = Department.objects.create(
            name=name, slug=people_services.department_slug(name, taken)
        )
        audit_record(
            actor=actor, action="department.created", target=department, after={"name": name}
        )
        created[name] = department
    return created


def _people_of(plan: Plan) -> tuple[dict[int, User], dict[str, User]]:
    """The accounts the plan changes or names as managers, by id and by lower-case e-mail, in
    one query (rows locked: nothing else changes them before the commit)."""
    ids = {p.user_id for p in plan.people if p.user_id}
    managers = {p.values["manager"] for p in plan.people if p.values.get("manager")}
    found: list[User] = list(
        User.objects.select_for_update()
        .annotate(email_key=Lower("email"))
        .filter(models.Q(pk__in=ids) | models.Q(email_key__in=managers))
    )
    by_id = {person.pk: person for person in found}
    by_email = {person.email.lower(): person for person in found}
    for planned in plan.people:  # the address as the file writes it (a change of case)
        if planned.user_id:
            by_email[planned.email.lower()] = by_id[planned.user_id]
    return by_id, by_email


def _create_people(
    actor: User | None, plan: Plan, departments: dict[str, Department], *, send_welcome: bool
) -> dict[str, User]:
    created = {}
    for planned in plan.of(Action.CREATE):
        values = planned.values
        person = people_services.user_create(
            username=planned.username,
            email=planned.email,
            first_name=values.get("first_name", ""),
            last_name=values.get("last_name", ""),
            department=departments.get(values.get("department", "")),
            job_title=values.get("job_title", ""),
            preferred_language=values["preferred_language"],
            send_welcome=send_welcome,
        )
        audit_record(
            actor=actor,
            action="account.created",
            target=person,
            after={c.field: c.after for c in planned.changes} | {"email": planned.email},
        )
        created[planned.email.lower()] = person
    return created


def _update_person(
    actor: User | None,
    planned: Any,
    person: User,
    people: dict[str, User],
    departments: dict[str, Department],
) -> None:
    values: dict[str, Any] = {}
    for change in planned.changes:
        if change.field == "department":
            values["department"] = departments.get(change.after)
        elif change.field == "manager":
            values["manager"] = people[change.after] if change.after else None
        else:
            values[change.field] = change.after
    people_services.person_directory_update(person=person, values=values)
    if planned.changes:
        audit_record(
            actor=actor,
            action="account.updated",
            target=person,
            before={c.field: c.before for c in planned.changes},
            after={c.field: c.after for c in planned.changes},
        )
    if planned.action == Action.REACTIVATE:
        people_services.person_active_set(person=person, active=True)
        audit_record(
            actor=actor,
            action="account.reactivated",
            target=person,
            before={"is_active": False},
            after={"is_active": True},
        )


# --- Editorial calendar ---------------------------------------------------------------------------


def calendar_token_for(*, user: User) -> PersonalToken | None:
    """The person's calendar feed token, if they created their address (its secret is not
    kept: the address is shown once, by `calendar_token_regenerate`)."""
    if not can_view_calendar(user):
        raise PermissionDenied
    return people_services.personal_token_of(model=CalendarToken, user=user)


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> tuple[PersonalToken, str]:
    """A new secret, the first or replacing the old (the old feed URL stops working at once: a
    leaked link is revoked). Returns the token and its secret, to show once."""
    if not can_view_calendar(user):
        raise PermissionDenied
    return people_services.personal_token_regenerate(model=CalendarToken, user=user)


# --- Executives' questionnaire ------------------------------------------------------------------


def _kept_answers(answers: dict[str, str]) -> dict[str, str]:
    unknown = set(answers) - QUESTION_KEYS
    if unknown:
        raise ValidationError(_("Unknown question."))
    kept = {}
    for key, text in answers.items():
        text = (text or "").strip()
        if len(text) > ANSWER_MAX_LENGTH:
            raise ValidationError(
                _("An answer is too long (at most %(limit)d characters).")
                % {"limit": ANSWER_MAX_LENGTH}
            )
        if text:
            kept[key] = text
    return kept


@transaction.atomic
def questionnaire_submit(
    *,
    respondent: User,
    believed_stage: str,
    answers: dict[str, str],
    submitted_at: datetime | None = None,
) -> QuestionnaireResponse:
    """Keep one filling-in of the questionnaire, dated; earlier ones stay as history.

    Empty answers are not stored (the seed: many questions will have no answer, which is
    normal). `submitted_at` exists for the demo seed; views never pass it.
    """
    if not can_answer_questionnaire(respondent):
        raise PermissionDenied
    if believed_stage not in MaturityStage.values:
        raise ValidationError({"believed_stage": _("Choose a stage.")})
    return QuestionnaireResponse.objects.create(
        respondent=respondent,
        submitted_at=submitted_at or timezone.now(),
        believed_stage=believed_stage,
        answers=_kept_answers(answers),
    )
