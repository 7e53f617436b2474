"""Writes for governance: the charter, its gate, the audit log (and, further down, moderation,
publishing rights and the executives' questionnaire). One function per write (DESIGN.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from activity.services import event_record
from core import content
from core.models import HIDDEN_REASON_MAX_LENGTH
from core.refusals import Refusal
from governance import moderation
from governance.exceptions import CharterNotAccepted
from governance.models import (
    AuditEntry,
    CalendarToken,
    Charter,
    CharterAcceptance,
    ContentKind,
    MaturityStage,
    QuestionnaireResponse,
    Report,
    ReportReason,
    ReportStatus,
)
from governance.permissions import (
    can_accept_charter,
    can_answer_questionnaire,
    can_change_rights,
    can_manage_charter,
    can_moderate_report,
    can_report,
    can_view_calendar,
)
from governance.questionnaire import ANSWER_MAX_LENGTH, QUESTION_KEYS
from governance.selectors import charter_accepted, current_charter
from notifications.services import notify
from people import services as people_services
from people.models import User


def charter_require(user: User) -> None:
    """Raise `CharterNotAccepted` unless `user` accepted the current charter version.

    Nothing is required while no charter is published. Services that create a post, comment,
    reply or thread call this first (before any write); their views catch the exception and
    call `governance.gate.redirect_to_charter`.
    """
    charter = current_charter()
    if charter is not None and not charter_accepted(user, charter=charter):
        raise CharterNotAccepted(charter)


def _target_ref(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:300]
    return type(target).__name__.lower(), "", str(target)[:300]


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry to the audit log. Call inside the caller's transaction, so that the
    entry exists exactly when the change it describes does.

    `action` is "<entity>.<verb>" (e.g. "comment.hidden", "role.granted", "charter.published",
    "post.deleted"); `target` is the model instance acted on (its type, id and current label
    are copied); `before`/`after` are JSON-serialisable dicts of what changed. `actor` None
    means the system (a scheduled job).
    """
    target_type, target_id, target_label = _target_ref(target)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=str(actor)[:200] if actor is not None else "",
        action=action[:64],
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        before=before,
        after=after,
    )


# --- Moderation of content: the one path for every kind and every entry point --------------

REASON_MAX_LENGTH = HIDDEN_REASON_MAX_LENGTH


def _moderation_snapshot(obj: models.Model) -> dict[str, Any]:
    hidden_at = getattr(obj, "hidden_at", None)
    return {
        "hidden_at": hidden_at.isoformat() if hidden_at else None,
        "hidden_by": getattr(obj, "hidden_by_id", None),
        "reason": getattr(obj, "hidden_reason", ""),
    }


def _moderation_reason(reason: str | None) -> str:
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise Refusal(_("Say why you hide it: its author will read the reason."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise Refusal(
            _("The reason is too long (at most %(limit)d characters).")
            % {"limit": REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


def _moderation_notice(obj: models.Model, kind: content.ContentKind, *, hidden: bool) -> Any:
    if hidden:
        return (
            _("Your %(kind)s “%(excerpt)s” was hidden by moderation: %(reason)s"),
            {"kind": kind.label, "excerpt": kind.excerpt(obj)[:80], "reason": obj.hidden_reason},
        )
    return (
        _("Your %(kind)s “%(excerpt)s” is visible again."),
        {"kind": kind.label, "excerpt": kind.excerpt(obj)[:80]},
    )


def _moderation_done(
    *, actor: User, kind: content.ContentKind, obj: models.Model, hidden: bool, before: Any
) -> None:
    """What every hide and restore does once the object's state changed, whatever the kind:
    one audit row, one notification to the author (with the reason), one live update."""
    audit_record(
        actor=actor,
        action=f"{kind.key}.{'hidden' if hidden else 'restored'}",
        target=obj,
        before=before,
        after=_moderation_snapshot(obj),
    )
    author = kind.author(obj)
    if author is not None:
        conversation = content.conversation_of(obj)
        target = obj
        if conversation is not None and conversation != (kind.key, obj.pk):
            found = content.load(*conversation)
            target = found[1] if found is not None else obj
        notify(
            recipients=[author],
            kind="moderation",
            actor=actor,
            target=target,
            url=reverse("governance:my_moderation"),
            summary=_moderation_notice(obj, kind, hidden=hidden),
        )
    if kind.after_moderation is not None:
        after = kind.after_moderation
        transaction.on_commit(lambda: after(obj))


def content_hide(*, actor: User, obj: models.Model, reason: str) -> models.Model:
    """Hide a post, thread, comment or reply: the only way content is hidden, from the
    moderation queue, the thread page, the comment menu or Wagtail alike.

    The kind's own rule decides who may (`can_moderate`); the reason is required (the author
    reads it). Nothing is deleted; hiding what is already hidden changes nothing. Raises
    `Refusal` (no reason, too long) or `PermissionDenied`.
    """
    kind = content.kind_for(obj)
    if kind.hide is None:
        raise Refusal(_("This cannot be hidden."))
    if not kind.can_moderate(actor, obj):
        raise PermissionDenied
    reason = _moderation_reason(reason)
    with transaction.atomic():
        locked = kind.model._base_manager.select_for_update().get(pk=obj.pk)
        if kind.is_hidden(locked):
            return locked
        before = _moderation_snapshot(locked)
        kind.hide(locked, actor=actor, reason=reason)
        _moderation_done(actor=actor, kind=kind, obj=locked, hidden=True, before=before)
    return locked


def content_restore(*, actor: User, obj: models.Model) -> models.Model:
    """Show hidden content again (same rule, audit, notification and live update as
    `content_hide`)."""
    kind = content.kind_for(obj)
    if kind.restore is None:
        raise Refusal(_("This cannot be restored."))
    if not kind.can_moderate(actor, obj):
        raise PermissionDenied
    with transaction.atomic():
        locked = kind.model._base_manager.select_for_update().get(pk=obj.pk)
        if not kind.is_hidden(locked):
            return locked
        before = _moderation_snapshot(locked)
        kind.restore(locked, actor=actor)
        _moderation_done(actor=actor, kind=kind, obj=locked, hidden=False, before=before)
    return locked


# --- Charter ----------------------------------------------------------------------------------

CHARTER_FIELDS = ("title_fr", "title_en", "body_fr", "body_en")


def _charter_snapshot(charter: Charter) -> dict[str, Any]:
    return {
        "version": charter.version,
        "published_at": charter.published_at,
        **{field: getattr(charter, field) for field in CHARTER_FIELDS},
    }


@transaction.atomic
def charter_draft_save(
    *, actor: User, data: dict[str, Any], charter: Charter | None = None
) -> Charter:
    """Create a new charter version as a draft, or change a draft not yet published.

    A published version is never edited: people accepted that exact text.
    """
    if not can_manage_charter(actor):
        raise PermissionDenied
    if charter is None:
        # Lock the table's last row so two administrators never get the same number.
        last = Charter.objects.select_for_update().order_by("-version").first()
        charter = Charter(version=(last.version + 1) if last else 1, created_by=actor)
        before = None
    else:
        charter = Charter.objects.select_for_update().get(pk=charter.pk)
        if charter.is_published:
            raise ValidationError(_("A published version cannot be changed: write a new one."))
        before = _charter_snapshot(charter)
    for field in CHARTER_FIELDS:
        setattr(charter, field, data[field])
    charter.full_clean()
    charter.save()
    audit_record(
        actor=actor,
        action="charter.created" if before is None else "charter.updated",
        target=charter,
        before=before,
        after=_charter_snapshot(charter),
    )
    return charter


@transaction.atomic
def charter_publish(*, actor: User, charter: Charter) -> Charter:
    """Publish a draft: it becomes the current charter and everyone is asked to accept it."""
    if not can_manage_charter(actor):
        raise PermissionDenied
    charter = Charter.objects.select_for_update().get(pk=charter.pk)
    if charter.is_published:
        raise ValidationError(_("This version is already published."))
    previous = current_charter()
    charter.published_at = timezone.now()
    charter.published_by = actor
    charter.save(update_fields=["published_at", "published_by"])
    audit_record(
        actor=actor,
        action="charter.published",
        target=charter,
        before={"current_version": previous.version if previous else None},
        after=_charter_snapshot(charter),
    )
    return charter


@transaction.atomic
def charter_accept(
    *, user: User, charter: Charter, accepted_at: datetime | None = None
) -> CharterAcceptance:
    """Record that `user` accepted `charter`, which must be the current version, with its
    participation event (accepted_charter) in the same transaction. Accepting twice is
    harmless: the first acceptance stands and no second event is counted.

    `accepted_at` exists for the demo seed (back-dated acceptances); views never pass it.
    """
    if not can_accept_charter(user):
        raise PermissionDenied
    current = current_charter()
    if current is None or current.pk != charter.pk:
        raise ValidationError(
            _("This version of the charter is no longer the current one: read the new one.")
        )
    existing = CharterAcceptance.objects.filter(charter=charter, user=user).first()
    if existing is not None:
        return existing
    when = accepted_at or timezone.now()
    acceptance = CharterAcceptance.objects.create(charter=charter, user=user, accepted_at=when)
    event_record(actor=user, verb=Verb.ACCEPTED_CHARTER, obj=charter, occurred_at=when)
    return acceptance


# --- Moderation -------------------------------------------------------------------------------

NOTE_MAX_LENGTH = 500  # interactions keeps at most 500 characters of a hiding reason


class ContentNotFound(Exception):
    """The content does not exist, or not for this person: the view answers 404."""


def _report_snapshot(report: Report) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "object_id": report.object_id,
        "status": report.status,
        "reason": report.reason,
        "decision_note": report.decision_note,
    }


@transaction.atomic
def report_create(
    *, reporter: User, kind: str, object_id: int, reason: str, details: str = ""
) -> tuple[Report, bool]:
    """An employee reports a post, thread, comment or reply they can see.

    Returns (report, created): reporting the same content twice while the first report is
    still open returns the first one. Raises ContentNotFound when the content does not exist
    for the reporter, ValidationError when the input is not acceptable.
    """
    if not can_report(reporter):
        raise PermissionDenied
    if kind not in ContentKind.values:
        raise ContentNotFound
    obj = moderation.content_load(kind, object_id)
    if obj is None or not moderation.content_visible_to(reporter, kind, obj):
        raise ContentNotFound
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    details = (details or "").strip()
    if reason == ReportReason.OTHER and not details:
        raise ValidationError({"details": _("Say in a few words what is wrong.")})
    info = moderation.content_info(kind, obj)
    if info.author is not None and info.author.pk == reporter.pk:
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
        author=info.author,
        community_id=info.community_id,
        excerpt=info.excerpt,
        url=info.url[:500],
        reason=reason,
        details=details,
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=reporter, action="report.created", target=report, after=_report_snapshot(report)
    )
    return report, True


def _open_reports_on(report: Report) -> models.QuerySet[Report]:
    return Report.objects.select_for_update().filter(
        kind=report.kind, object_id=report.object_id, status=ReportStatus.OPEN
    )


def _decide(
    *,
    moderator: User,
    report: Report,
    reports: models.QuerySet[Report],
    status: str,
    note: str,
    action: str,
) -> int:
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


def _tell_author(*, moderator: User, report: Report, obj: models.Model, summary: str) -> None:
    from notifications.services import notify

    if report.author is None or report.author.pk == moderator.pk:
        return
    notify(
        recipients=[report.author],
        kind="moderation",
        actor=moderator,
        target=obj,
        url=reverse("governance:my_moderation"),
        summary=summary[:500],
    )


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


def report_hide(*, moderator: User, report: Report, note: str) -> Report:
    """Hide the reported content (through its app's service) and close every open report on
    it. `note` is required: the author is told and reads why. Nothing is deleted."""
    if not can_moderate_report(moderator, report):
        raise PermissionDenied
    note = _check_note(note, required=True)
    with transaction.atomic():
        reports = _open_reports_on(report)
        if not reports.filter(pk=report.pk).exists():
            raise ValidationError(_("This report was already decided."))
        obj = moderation.content_load(report.kind, report.object_id)
        if obj is None:
            raise ContentNotFound
        moderation.content_hide(report.kind, obj, actor=moderator, reason=note)
        _decide(
            moderator=moderator,
            report=report,
            reports=reports,
            status=ReportStatus.HIDDEN,
            note=note,
            action="report.hidden",
        )
        if not moderation.content_notifies_author(report.kind):
            _tell_author(
                moderator=moderator,
                report=report,
                obj=obj,
                summary=gettext("Your %(kind)s “%(excerpt)s” was hidden by moderation: %(note)s")
                % {"kind": report.get_kind_display(), "excerpt": report.excerpt[:80], "note": note},
            )
    return report


def report_dismiss(*, moderator: User, report: Report, note: str = "") -> Report:
    """Nothing to do: close every open report on this content; the content stays as it is."""
    if not can_moderate_report(moderator, report):
        raise PermissionDenied
    note = _check_note(note, required=False)
    with transaction.atomic():
        reports = _open_reports_on(report)
        if not reports.filter(pk=report.pk).exists():
            raise ValidationError(_("This report was already decided."))
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
    """Undo a hiding decided from this report: the content is shown again and the author is
    told."""
    if not can_moderate_report(moderator, report):
        raise PermissionDenied
    note = _check_note(note, required=False)
    with transaction.atomic():
        hidden = Report.objects.select_for_update().filter(
            kind=report.kind, object_id=report.object_id, status=ReportStatus.HIDDEN
        )
        if not hidden.filter(pk=report.pk).exists():
            raise ValidationError(_("Only hidden content can be restored."))
        obj = moderation.content_load(report.kind, report.object_id)
        if obj is None:
            raise ContentNotFound
        moderation.content_restore(report.kind, obj, actor=moderator)
        _decide(
            moderator=moderator,
            report=report,
            reports=hidden,
            status=ReportStatus.RESTORED,
            note=note or report.decision_note,
            action="report.restored",
        )
        if not moderation.content_notifies_author(report.kind):
            _tell_author(
                moderator=moderator,
                report=report,
                obj=obj,
                summary=gettext("Your %(kind)s “%(excerpt)s” is visible again.")
                % {"kind": report.get_kind_display(), "excerpt": report.excerpt[:80]},
            )
    return report


# --- Publishing rights --------------------------------------------------------------------------

# The roles held on the employee record that give publishing rights (people.User): an
# executive's posts go to the Leadership space; a community manager may create and run
# communities.
ROLE_FIELDS = {"executive": "is_executive", "community_manager": "is_community_manager"}


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


def community_role_set(*, actor: User, person: User, community_id: int, role: str) -> None:
    """Make an active member a manager of a community (announcements, moderation) or a member
    again, through communities' own service (which checks and audits it)."""
    from communities.models import Membership, MembershipState
    from communities.services import CommunityError, member_set_role

    if not can_change_rights(actor):
        raise PermissionDenied
    membership = (
        Membership.objects.select_related("community", "user")
        .filter(community_id=community_id, user=person)
        .first()
    )
    if membership is None or membership.state != MembershipState.ACTIVE:
        raise ValidationError(
            _("%(person)s is not a member of this community: invite them first.")
            % {"person": person.name}
        )
    try:
        member_set_role(actor=actor, membership=membership, role=role)
    except CommunityError as error:
        raise ValidationError(str(error.message)) from error


# --- Editorial calendar ---------------------------------------------------------------------------


def calendar_token_for(*, user: User) -> CalendarToken:
    """The person's calendar feed token, created on first use."""
    if not can_view_calendar(user):
        raise PermissionDenied
    return people_services.personal_token_get(model=CalendarToken, user=user)


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> CalendarToken:
    """A new secret: the old feed URL stops working at once (a leaked link is revoked)."""
    if not can_view_calendar(user):
        raise PermissionDenied
    return people_services.personal_token_regenerate(model=CalendarToken, user=user)


# --- Executives' questionnaire ------------------------------------------------------------------


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
    return QuestionnaireResponse.objects.create(
        respondent=respondent,
        submitted_at=submitted_at or timezone.now(),
        believed_stage=believed_stage,
        answers=kept,
    )
