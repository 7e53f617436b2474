"""Writes of the governance kernel, used by every writer: the charter and its gate, the audit
log, and the one moderation path (`content_hide` / `content_restore`) for every content kind.
One function per write (DESIGN.md). The console's writes (reports, roles, calendar tokens,
questionnaire) are in `console.services`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from activity.services import event_record
from core import content
from core.feed import feed_changed
from core.models import HIDDEN_REASON_MAX_LENGTH
from core.refusals import Refusal
from governance.exceptions import CharterNotAccepted
from governance.models import AuditEntry, Charter, CharterAcceptance
from governance.permissions import can_accept_charter, can_manage_charter
from governance.selectors import charter_accepted, current_charter
from notifications.services import Summary, broadcast_on_commit, notify
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
    actor_label: str | None = None,
) -> AuditEntry:
    """Append an entry to the audit log. Call inside the caller's transaction, so that the
    entry exists exactly when the change it describes does.

    `action` is "<entity>.<verb>" (e.g. "comment.hidden", "role.granted", "charter.published",
    "post.deleted"); `target` is the model instance acted on (its type, id and current label
    are copied); `before`/`after` are JSON-serialisable dicts of what changed. `actor` None
    means the system (a scheduled job); `actor_label` then names it when it is not a person
    (an identity provider provisioning accounts: "SCIM: Entra ID").
    """
    target_type, target_id, target_label = _target_ref(target)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(str(actor) if actor is not None else actor_label or "")[:200],
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
    # Datetimes are left to the audit field's encoder, so that every entry writes them alike.
    return {
        "hidden_at": getattr(obj, "hidden_at", None),
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


def _moderation_notice(obj: models.Model, kind: content.ContentKind, *, hidden: bool) -> Summary:
    if hidden:
        return (
            _("Your %(kind)s “%(excerpt)s” was hidden by moderation: %(reason)s"),
            {
                "kind": kind.label,
                "excerpt": kind.excerpt(obj)[:80],
                "reason": getattr(obj, "hidden_reason", ""),
            },
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
        broadcast_on_commit(lambda: after(obj))
    feed_changed()  # hidden or restored content leaves or re-enters the home feeds


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
def charter_publish(
    *, actor: User, charter: Charter, published_at: datetime | None = None
) -> Charter:
    """Publish a draft: it becomes the current charter and everyone is asked to accept it.
    `published_at` dates the publication (default now; the demo's history)."""
    if not can_manage_charter(actor):
        raise PermissionDenied
    charter = Charter.objects.select_for_update().get(pk=charter.pk)
    if charter.is_published:
        raise ValidationError(_("This version is already published."))
    previous = current_charter()
    charter.published_at = published_at or timezone.now()
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
