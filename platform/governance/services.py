"""Writes for governance: the charter, its gate, the audit log (and, further down, moderation,
publishing rights and the executives' questionnaire). One function per write (DESIGN.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.exceptions import CharterNotAccepted
from governance.models import AuditEntry, Charter, CharterAcceptance
from governance.permissions import can_accept_charter, can_manage_charter
from governance.selectors import charter_accepted, current_charter
from metrics.models import Verb
from metrics.services import event_record
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
