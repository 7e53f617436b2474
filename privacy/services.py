"""Personal data: what Ruche holds about a person (export), and their erasure.

Both walk every relation to the user model (`User._meta`), hidden ones included, so that a
model added tomorrow is exported and does not block an erasure without a change here:

- export: every row of every model that points at the person, as JSON and CSV in a ZIP, and
  their participation events as CSV; secrets (password, tokens) never leave;
- erasure: the account and its profile are deleted (not anonymised in place); what must
  outlive it is moved to a per-erasure placeholder account, inactive and without a password,
  named "former employee", that keeps the person's department and executive flag (the
  rollups need both) and nothing else:

  * rows protected from deletion (`on_delete=PROTECT`: posts, threads, comments, reports,
    questionnaire answers, charters they published...) move to the placeholder; with
    `RUCHE_ERASURE_CONTENT = "remove"` their posts and threads are deleted first (with the
    comments and reactions under them) and their other comments emptied;
  * participation events (theirs, and others' events that name them as target or
    preparer) are pseudonymised by `activity.retention.events_pseudonymise`, the rollups'
    person columns rewritten the same way, and charter acceptances moved: the metrics of
    past days, computed again, do not change;
  * everything else that is only theirs goes with the account (`CASCADE`: memberships,
    follows, reactions, notifications, preferences, tokens, delegations, mentions);
  * the audit log is append-only and keeps the name copied at the time of each entry
    (`actor_label`); the erasure itself is audited without any personal data.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext

from activity.models import ParticipationEvent
from activity.retention import events_pseudonymise
from blogs.models import BlogPage
from core import content
from core.exports import csv_lines
from core.refusals import NotFound, Refusal
from governance.models import CharterAcceptance
from governance.services import audit_record
from interactions.models import Comment, Reaction
from interactions.targets import target_content_type
from metrics.models import (
    ActivityDay,
    ConversationTurn,
    InteractionDay,
    KpiEmail,
    LeaderViewDay,
    MembershipDay,
)
from people.generation import people_changed
from people.models import PersonHistory, User
from privacy.permissions import can_erase, can_export

# Fields that never leave the database in an export.
SECRET_FIELDS = frozenset({"password", "token", "token_hash", "secret"})
# Relations that name the person but hold someone else's data: who reported them and who
# decided the report, the colleagues they manage (their whole profiles), the notifications
# they caused other people to receive.
NOT_THEIRS = frozenset(
    {
        ("console.report", "author"),
        ("console.report", "decided_by"),
        ("people.user", "manager"),
        ("notifications.notification", "actor"),
    }
)
EVENT_COLUMNS = (
    "occurred_at",
    "verb",
    "object_type",
    "object_id",
    "community_id",
    "department_id",
    "target_user_id",
    "conversation_type",
    "conversation_id",
)
ERASURE_MODES = ("attribute", "remove")


# --- Export -----------------------------------------------------------------------------------


def _relations() -> Iterator[tuple[ForeignObjectRel, type[models.Model]]]:
    """Every relation from another model to the user model (hidden ones too), with that
    model."""
    for rel in User._meta.get_fields(include_hidden=True):
        if isinstance(rel, ForeignObjectRel) and not isinstance(rel.related_model, str):
            yield rel, rel.related_model


def _plain(field: models.Field[Any, Any], obj: models.Model) -> Any:
    value = field.value_from_object(obj)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, dict | list):
        try:
            json.dumps(value, cls=DjangoJSONEncoder)
        except TypeError:
            pass
        else:
            return value
    return field.value_to_string(obj)


def _row(obj: models.Model) -> dict[str, Any]:
    return {
        field.attname: _plain(field, obj)
        for field in obj._meta.concrete_fields
        if field.name not in SECRET_FIELDS
    }


def person_data(person: User) -> dict[str, list[dict[str, Any]]]:
    """What Ruche holds about `person`: their profile, then every model that points at them,
    keyed "<app>.<model>.<field>" (e.g. "interactions.comment.author"); events apart."""
    data: dict[str, list[dict[str, Any]]] = {"people.user": [_row(person)]}
    for rel, model in _relations():
        if model is ParticipationEvent:
            continue
        key = (model._meta.label_lower, rel.field.name)
        if key in NOT_THEIRS:
            continue
        rows = model._base_manager.filter(**{rel.field.name: person}).order_by("pk")
        found = [_row(obj) for obj in rows]
        if found:
            data.setdefault(f"{key[0]}.{key[1]}", []).extend(found)
    return data


def _csv(rows: list[dict[str, Any]]) -> str:
    header = list(rows[0]) if rows else []
    cells = [
        [
            json.dumps(v, cls=DjangoJSONEncoder) if isinstance(v, dict | list) else v
            for v in r.values()
        ]
        for r in rows
    ]
    return "\ufeff" + "".join(csv_lines(header, cells))


def person_export(*, actor: User, person: User) -> bytes:
    """A ZIP of everything Ruche holds about `person`: `data.json` (all of it), one CSV per
    kind of record, and `participation_events.csv`. The person and administrators only; a
    colleague is told the page does not exist."""
    if not can_export(actor, person):
        raise NotFound(gettext("This page does not exist."))
    data = person_data(person)
    events = (
        ParticipationEvent.objects.filter(actor=person)
        .order_by("occurred_at", "pk")
        .values_list(*EVENT_COLUMNS)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                {"person": person.username, "exported_at": timezone.now(), "data": data},
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=2,
            ),
        )
        for key, rows in data.items():
            archive.writestr(f"csv/{key}.csv", _csv(rows))
        archive.writestr(
            "participation_events.csv",
            "\ufeff" + "".join(csv_lines(EVENT_COLUMNS, events.iterator())),
        )
    return buffer.getvalue()


# --- Erasure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    placeholder: User
    mode: str
    events: int
    removed: int
    moved: int


def _placeholder(person: User) -> User:
    with translation.override(settings.LANGUAGE_CODE):
        name = gettext("Former employee")
    while True:
        username = f"former-{secrets.token_hex(5)}"
        if not User.objects.filter(username=username).exists():
            break
    placeholder = User(
        username=username,
        display_name=name,
        is_active=False,
        department_id=person.department_id,
        is_executive=person.is_executive,
        date_joined=person.date_joined,
    )
    placeholder.set_unusable_password()
    placeholder.save()
    return placeholder


def _delete_with_interactions(obj: models.Model) -> None:
    """Delete a post or a thread with the comments, replies and reactions under it."""
    ct = target_content_type(obj)
    comments = Comment._base_manager.filter(content_type=ct, object_id=obj.pk)
    comment_ct = target_content_type(Comment())
    Reaction._base_manager.filter(
        content_type=comment_ct, object_id__in=comments.values("pk")
    ).delete()
    Reaction._base_manager.filter(content_type=ct, object_id=obj.pk).delete()
    comments.filter(parent__isnull=False).delete()
    comments.delete()
    obj.delete()


def _remove_content(person: User) -> int:
    """`RUCHE_ERASURE_CONTENT = "remove"`: delete the person's posts and threads (every
    registered content kind with an author, comments aside), empty their comments (replies of
    others under them stay, like under a comment its author removed)."""
    removed = 0
    done: set[type[models.Model]] = set()
    for kind in content.kinds():
        model = kind.model
        if model in done or model is Comment:
            continue
        done.add(model)
        if "author" not in {f.name for f in model._meta.get_fields()}:
            continue
        for obj in model._base_manager.filter(author=person).order_by("-pk"):
            _delete_with_interactions(obj)
            removed += 1
    removed += Comment._base_manager.filter(author=person).update(
        body="", body_html="", deleted_at=Coalesce("deleted_at", timezone.now())
    )
    for blog in BlogPage.objects.filter(person=person):
        if not blog.get_children().exists():
            blog.delete()
    return removed


def _rename_blogs(person: User, placeholder: User) -> None:
    """A kept blog is named after its owner (title, slug from the username): rename it."""
    for blog in BlogPage.objects.filter(person=person):
        blog.title = blog.draft_title = placeholder.name
        blog.slug = placeholder.username
        blog.intro = ""
        blog.save()


def _rollups_pseudonymise(person_id: int, placeholder_id: int) -> None:
    """The rollups are derived from the log: their person columns follow it."""
    columns: dict[type[models.Model], tuple[str, ...]] = {
        ActivityDay: ("user_id",),
        InteractionDay: ("user_id",),
        MembershipDay: ("user_id",),
        LeaderViewDay: ("executive_id", "viewer_id"),
        ConversationTurn: ("user_id", "other_user_id"),
        KpiEmail: ("head_id",),
    }
    for model, names in columns.items():
        for name in names:
            model._default_manager.filter(**{name: person_id}).update(**{name: placeholder_id})


def _history_pseudonymise(person: User, placeholder: User) -> None:
    """Who was where and when (departments, active, executive) makes the population of past
    days: it passes to the placeholder, like the events, instead of the placeholder's own
    history (inactive from today)."""
    PersonHistory.objects.filter(user=placeholder).delete()
    PersonHistory.objects.filter(user=person).update(user=placeholder)


def _move_protected(person: User, placeholder: User) -> int:
    """Move every row that protects the account from deletion to the placeholder."""
    moved = 0
    for rel, model in _relations():
        if model is ParticipationEvent or rel.on_delete is not models.PROTECT:
            continue
        name = rel.field.name
        moved += model._base_manager.filter(**{name: person}).update(**{name: placeholder})
    return moved


def person_erase(*, actor: User, person: User, mode: str | None = None) -> Erasure:
    """Erase `person` (administrators only, never themselves): see the module docstring.
    One transaction: nothing is half-erased. `mode` defaults to RUCHE_ERASURE_CONTENT."""
    if not can_erase(actor, person):
        raise NotFound(gettext("This page does not exist."))
    mode = mode or settings.RUCHE_ERASURE_CONTENT
    if mode not in ERASURE_MODES:
        raise Refusal(gettext("Unknown erasure mode."))
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        placeholder = _placeholder(person)
        removed = _remove_content(person) if mode == "remove" else 0
        _rename_blogs(person, placeholder)
        events = events_pseudonymise(person.pk, placeholder.pk)
        _rollups_pseudonymise(person.pk, placeholder.pk)
        CharterAcceptance.objects.filter(user=person).update(user=placeholder)
        _history_pseudonymise(person, placeholder)
        moved = _move_protected(person, placeholder)
        audit_record(
            actor=actor,
            action="person.erased",
            target=placeholder,
            after={"content": mode, "events": events, "removed": removed, "moved": moved},
        )
        photo = person.photo
        person.delete()
        # Comments were emptied and moved by bulk updates, which send no signal: what is
        # cached of people and their comments is read again (people.generation).
        people_changed()
        if photo:
            transaction.on_commit(lambda: photo.storage.delete(photo.name))
    return Erasure(placeholder=placeholder, mode=mode, events=events, removed=removed, moved=moved)
