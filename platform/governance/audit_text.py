"""The audit log read by a person: each entry as one sentence in the reader's language
("Pierre Côté changed *Cellule bad buzz* from private to open"), built from the raw entry,
which stays unchanged (the page shows it in a details disclosure; the CSV export keeps it).

The log's vocabulary is strings ("<entity>.<verb>", field names), so this module names no app
above the kernel: labels of fields and of their choices are read from the target's model
through Django's app registry (`target_type` is a model label), content kinds from
`core.content`, and the few words that are the log's own (roles, access modes) are here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import content
from governance.models import AuditEntry
from people.models import User

VALUE_MAX = 80  # characters of a value quoted in a sentence; the details keep it whole

# The roles held on an account (people.User flags), as a sentence names them.
ROLE_NAMES: dict[str, Promise] = {
    "is_executive": gettext_lazy("the executive role"),
    "is_community_manager": gettext_lazy("the community manager role"),
    "is_communications": gettext_lazy("the communications role"),
    "is_superuser": gettext_lazy("the administrator role"),
    "is_staff": gettext_lazy("access to the Django admin"),
}

# Short words for values whose choice labels are written for forms, not sentences.
VALUE_WORDS: dict[str, dict[str, Promise]] = {
    "access": {
        "open": gettext_lazy("open"),
        "request": gettext_lazy("by request"),
        "private": gettext_lazy("private"),
    },
    "role": {"manager": gettext_lazy("manager"), "member": gettext_lazy("member")},
}


@dataclass(frozen=True)
class AuditLine:
    """An entry as the page shows it: the sentence, and the raw values for the details."""

    entry: AuditEntry
    sentence: SafeString


def _text(value: Any) -> str:
    return conditional_escape(Truncator(str(value)).chars(VALUE_MAX))


def _em(value: Any) -> str:
    return f"<em>{_text(value)}</em>"


def _say(template: str, **values: str) -> SafeString:
    """`template` (a translated %-format string) with `values` already escaped."""
    return mark_safe(conditional_escape(template) % values)  # noqa: S308 (every part escaped)


def _model_of(entry: AuditEntry) -> type[models.Model] | None:
    try:
        return apps.get_model(entry.target_type) if "." in entry.target_type else None
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _field_label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    return str(field.verbose_name) if field is not None else name.replace("_", " ")


def _value(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A value as a reader reads it: the log's own word, the field's choice label, yes/no, the
    names of related rows, or the value quoted."""
    if value is None or value == "":
        return _("(none)")
    if name in VALUE_WORDS and str(value) in VALUE_WORDS[name]:
        return str(VALUE_WORDS[name][str(value)])
    if isinstance(value, bool) or value in ("True", "False"):
        return _("yes") if value in (True, "True") else _("no")
    if isinstance(value, int | float):
        return number_format(value)
    field = _field(model, name)
    if field is not None and field.choices:
        label = dict(field.flatchoices).get(value)
        if label is not None:
            return str(label)
    if isinstance(value, list):
        related = field.related_model if field is not None and field.many_to_many else None
        if isinstance(related, type) and issubclass(related, models.Model):
            known = _RELATED_NAMES.get()
            if known is None or any((related, pk) not in known for pk in value):
                known = _related_names({related: set(value)})
            names = [known[(related, pk)] for pk in value if (related, pk) in known]
            return ", ".join(sorted(names)) or _("(none)")
        return ", ".join(str(v) for v in value) or _("(none)")
    return f"“{value}”"


# The names of rows listed by id in many-to-many values (a community's departments), read
# once for a whole page by `audit_lines`.
_RELATED_NAMES: ContextVar[dict[tuple[type[models.Model], Any], str] | None] = ContextVar(
    "audit_related_names", default=None
)


def _related_names(
    wanted: dict[type[models.Model], set[Any]],
) -> dict[tuple[type[models.Model], Any], str]:
    return {
        (model, obj.pk): str(obj)
        for model, pks in wanted.items()
        for obj in model._default_manager.filter(pk__in=pks)
    }


def _many_to_many_wanted(entries: list[AuditEntry]) -> dict[type[models.Model], set[Any]]:
    wanted: dict[type[models.Model], set[Any]] = {}
    for entry in entries:
        model = _model_of(entry)
        for side in (entry.before or {}, entry.after or {}):
            for key, value in side.items():
                field = _field(model, key) if isinstance(value, list) else None
                related = field.related_model if field is not None and field.many_to_many else None
                if isinstance(related, type) and issubclass(related, models.Model):
                    wanted.setdefault(related, set()).update(value)
    return wanted


def _changes(entry: AuditEntry) -> str:
    """ "name from “a” to “b”; access from private to open" for every key that changed."""
    model = _model_of(entry)
    before, after = entry.before or {}, entry.after or {}
    parts = []
    for key in [*before, *(k for k in after if k not in before)]:
        if before.get(key) == after.get(key):
            continue
        parts.append(
            _("%(field)s from %(before)s to %(after)s")
            % {
                "field": _field_label(model, key),
                "before": _value(model, key, before.get(key)),
                "after": _value(model, key, after.get(key)),
            }
        )
    return conditional_escape("; ".join(parts))


def _kind_label(key: str) -> str:
    try:
        return str(content.kind(key).label)
    except KeyError:
        return key


# --- One function per action; each returns the sentence (actor and target given escaped) ----

Words = dict[str, str]
Describe = Callable[[AuditEntry, Words], SafeString]


def _changed(entry: AuditEntry, w: Words) -> SafeString:
    before, after = entry.before or {}, entry.after or {}
    keys = {k for k in {*before, *after} if before.get(k) != after.get(k)}
    if keys == {"access"}:
        return _say(
            _("%(actor)s changed %(target)s from %(before)s to %(after)s"),
            **w,
            before=_text(_value(_model_of(entry), "access", before.get("access"))),
            after=_text(_value(_model_of(entry), "access", after.get("access"))),
        )
    if not keys:
        return _say(_("%(actor)s saved %(target)s without changing it"), **w)
    return _say(_("%(actor)s changed %(target)s: %(changes)s"), **w, changes=_changes(entry))


def _role(entry: AuditEntry, w: Words) -> SafeString:
    keys = list((entry.after or entry.before or {}).keys())
    role = str(ROLE_NAMES.get(keys[0], keys[0])) if keys else _("a role")
    if entry.action == "role.granted":
        return _say(_("%(actor)s granted %(role)s to %(target)s"), **w, role=_text(role))
    return _say(_("%(actor)s withdrew %(role)s from %(target)s"), **w, role=_text(role))


def _moderation(entry: AuditEntry, w: Words) -> SafeString:
    key, verb = entry.action.rsplit(".", 1)
    kind = _text(_kind_label(key))
    if verb == "hidden":
        reason = (entry.after or {}).get("reason") or ""
        return _say(
            _("%(actor)s hid the %(kind)s %(target)s: %(reason)s"),
            **w,
            kind=kind,
            reason=_text(reason),
        )
    return _say(_("%(actor)s showed the %(kind)s %(target)s again"), **w, kind=kind)


def _report(entry: AuditEntry, w: Words) -> SafeString:
    after = entry.after or {}
    note = _text(after.get("decision_note") or "")
    count = int(after.get("reports_closed") or 1)
    sentences = {
        "report.created": _("%(actor)s reported %(target)s"),
        "report.hidden": ngettext(
            "%(actor)s hid the content reported in %(target)s (%(count)d report closed): %(note)s",
            "%(actor)s hid the content reported in %(target)s (%(count)d reports closed): %(note)s",
            count,
        ),
        "report.dismissed": ngettext(
            "%(actor)s dismissed %(target)s (%(count)d report closed) %(note)s",
            "%(actor)s dismissed %(target)s (%(count)d reports closed) %(note)s",
            count,
        ),
        "report.restored": _("%(actor)s showed again the content reported in %(target)s %(note)s"),
    }
    template = sentences[entry.action]
    return mark_safe((conditional_escape(template) % {**w, "count": count, "note": note}).strip())  # noqa: S308


def _membership(entry: AuditEntry, w: Words, people: dict[int, str]) -> SafeString:
    before, after = entry.before or {}, entry.after or {}
    user_id = after.get("user", before.get("user"))
    person = _text(people.get(user_id, f"#{user_id}") if isinstance(user_id, int) else user_id)
    if entry.action == "membership.removed":
        return _say(_("%(actor)s removed %(person)s from %(target)s"), **w, person=person)
    role = _text(_value(None, "role", after.get("role")))
    return _say(
        _("%(actor)s made %(person)s %(role)s of %(target)s"), **w, person=person, role=role
    )


def _charter(entry: AuditEntry, w: Words) -> SafeString:
    if entry.action == "charter.published":
        previous = (entry.before or {}).get("current_version")
        if previous:
            return _say(
                _(
                    "%(actor)s published %(target)s, replacing version %(previous)s: everyone "
                    "is asked to accept it"
                ),
                **w,
                previous=_text(previous),
            )
        return _say(_("%(actor)s published %(target)s: everyone is asked to accept it"), **w)
    if entry.action == "charter.created":
        return _say(_("%(actor)s wrote the draft %(target)s"), **w)
    return _say(
        _("%(actor)s changed the draft %(target)s: %(changes)s"), **w, changes=_fields(entry)
    )


def _fields(entry: AuditEntry) -> str:
    before, after = entry.before or {}, entry.after or {}
    model = _model_of(entry)
    changed = [_field_label(model, k) for k in after if before.get(k) != after.get(k)]
    return conditional_escape(", ".join(changed) or _("nothing"))


def _worksheet(entry: AuditEntry, w: Words) -> SafeString:
    """A new version of the ROI worksheet: the assumptions it changed (labels of the
    version's fields) and its lines when they changed."""
    model = _model_of(entry)
    before, after = entry.before or {}, entry.after or {}
    parts = [
        _("%(field)s from %(before)s to %(after)s")
        % {
            "field": _field_label(model, key),
            "before": _value(model, key, before.get(key)),
            "after": _value(model, key, value),
        }
        for key, value in after.items()
        if key not in ("lines", "note") and before.get(key) != value
    ]
    if "lines" in after:
        lines = "; ".join(str(line) for line in after["lines"]) or _("(none)")
        parts.append(_("lines: %(lines)s") % {"lines": lines})
    return _say(
        _("%(actor)s saved %(target)s of the ROI worksheet: %(changes)s"),
        **w,
        changes=conditional_escape("; ".join(parts) or _("nothing")),
    )


SIMPLE: dict[str, Promise] = {
    "thread.pinned": gettext_lazy("%(actor)s pinned the thread %(target)s"),
    "thread.unpinned": gettext_lazy("%(actor)s unpinned the thread %(target)s"),
    "thread.locked": gettext_lazy("%(actor)s locked the thread %(target)s"),
    "thread.unlocked": gettext_lazy("%(actor)s unlocked the thread %(target)s"),
    "thread.deleted": gettext_lazy("%(actor)s deleted the thread %(target)s"),
    "post.deleted": gettext_lazy("%(actor)s deleted the post %(target)s"),
    "comment.deleted": gettext_lazy("%(actor)s deleted the comment %(target)s"),
    "account.deactivated": gettext_lazy("%(actor)s deactivated the account of %(target)s"),
    "account.reactivated": gettext_lazy("%(actor)s reactivated the account of %(target)s"),
    "account.created": gettext_lazy("%(actor)s created the account of %(target)s"),
    "department.created": gettext_lazy("%(actor)s created the department %(target)s"),
    "department.renamed": gettext_lazy("%(actor)s renamed the department %(target)s"),
    "department.deleted": gettext_lazy("%(actor)s deleted the department %(target)s"),
    "scim_client.created": gettext_lazy(
        "%(actor)s created the SCIM provisioning client %(target)s"
    ),
    "scim_client.deleted": gettext_lazy(
        "%(actor)s revoked the SCIM provisioning client %(target)s"
    ),
    "directory.imported": gettext_lazy("%(actor)s imported the directory from a CSV file"),
    "announcement.published": gettext_lazy("%(actor)s published the announcement %(target)s"),
    "announcement.scheduled": gettext_lazy("%(actor)s scheduled the announcement %(target)s"),
    "announcement.updated": gettext_lazy("%(actor)s changed the scheduled announcement %(target)s"),
    "announcement.cancelled": gettext_lazy(
        "%(actor)s cancelled the scheduled announcement %(target)s"
    ),
    "objective.set": gettext_lazy("%(actor)s set the objective of the department %(target)s"),
    "two_factor.enrolled": gettext_lazy("%(actor)s set up two-factor authentication"),
    "two_factor.removed": gettext_lazy("%(actor)s removed their two-factor authentication"),
    "two_factor.recovery_codes_regenerated": gettext_lazy(
        "%(actor)s made new two-factor recovery codes"
    ),
    "two_factor.reset": gettext_lazy("%(actor)s reset the two-factor authentication of %(target)s"),
}

DESCRIBE: dict[str, Describe] = {
    "community.updated": _changed,
    "account.updated": _changed,
    "criteria.updated": lambda e, w: _say(
        _("%(actor)s changed the maturity criteria: %(changes)s"), **w, changes=_changes(e)
    ),
    "role.granted": _role,
    "role.withdrawn": _role,
    "report.created": _report,
    "report.hidden": _report,
    "report.dismissed": _report,
    "report.restored": _report,
    "charter.created": _charter,
    "charter.updated": _charter,
    "charter.published": _charter,
    "roi.saved": _worksheet,
}


ACTION_LABELS: dict[str, Promise] = {
    "community.updated": gettext_lazy("Community settings changed"),
    "criteria.updated": gettext_lazy("Maturity criteria changed"),
    "role.granted": gettext_lazy("Role granted"),
    "role.withdrawn": gettext_lazy("Role withdrawn"),
    "account.deactivated": gettext_lazy("Account deactivated"),
    "account.reactivated": gettext_lazy("Account reactivated"),
    "account.created": gettext_lazy("Account created"),
    "account.updated": gettext_lazy("Account changed by the directory"),
    "department.created": gettext_lazy("Department created"),
    "department.renamed": gettext_lazy("Department renamed"),
    "department.deleted": gettext_lazy("Department deleted"),
    "scim_client.created": gettext_lazy("SCIM client created"),
    "scim_client.deleted": gettext_lazy("SCIM client revoked"),
    "directory.imported": gettext_lazy("Directory imported"),
    "report.created": gettext_lazy("Content reported"),
    "report.hidden": gettext_lazy("Report: content hidden"),
    "report.dismissed": gettext_lazy("Report dismissed"),
    "report.restored": gettext_lazy("Report: content shown again"),
    "membership.role": gettext_lazy("Community role changed"),
    "membership.removed": gettext_lazy("Member removed"),
    "charter.created": gettext_lazy("Charter draft written"),
    "charter.updated": gettext_lazy("Charter draft changed"),
    "charter.published": gettext_lazy("Charter published"),
    "thread.pinned": gettext_lazy("Thread pinned"),
    "thread.unpinned": gettext_lazy("Thread unpinned"),
    "thread.locked": gettext_lazy("Thread locked"),
    "thread.unlocked": gettext_lazy("Thread unlocked"),
    "thread.deleted": gettext_lazy("Thread deleted"),
    "post.deleted": gettext_lazy("Post deleted"),
    "comment.deleted": gettext_lazy("Comment deleted"),
    "announcement.published": gettext_lazy("Announcement published"),
    "announcement.scheduled": gettext_lazy("Announcement scheduled"),
    "announcement.updated": gettext_lazy("Scheduled announcement changed"),
    "announcement.cancelled": gettext_lazy("Scheduled announcement cancelled"),
    "objective.set": gettext_lazy("Department objective set"),
    "roi.saved": gettext_lazy("ROI worksheet saved"),
    "two_factor.enrolled": gettext_lazy("Two-factor authentication set up"),
    "two_factor.removed": gettext_lazy("Two-factor authentication removed"),
    "two_factor.recovery_codes_regenerated": gettext_lazy("New two-factor recovery codes"),
    "two_factor.reset": gettext_lazy("Two-factor authentication reset"),
}


def action_label(action: str) -> str:
    """A name for an action in the log's filter ("Role granted", "Thread hidden")."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    key, _dot, verb = action.rpartition(".")
    if verb == "hidden":
        return _("Hidden: %(kind)s") % {"kind": _kind_label(key)}
    if verb == "restored":
        return _("Shown again: %(kind)s") % {"kind": _kind_label(key)}
    return action


def action_choices(actions: Iterable[str]) -> list[tuple[str, str]]:
    """The actions present in the log as (code, label), sorted by label."""
    return sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1].lower())


def audit_sentence(entry: AuditEntry, *, people: dict[int, str] | None = None) -> SafeString:
    """The entry as a sentence in the active language; an action this module does not know
    still reads ("… did “x.y” on …")."""
    words = {
        "actor": _text(entry.actor_label or _("The system")),
        "target": _em(entry.target_label) if entry.target_label else _text(_("(nothing)")),
    }
    action = entry.action
    if action in DESCRIBE:
        return DESCRIBE[action](entry, words)
    if action in SIMPLE:
        return _say(str(SIMPLE[action]), **words)
    if action.startswith("membership."):
        return _membership(entry, words, people or {})
    if action.endswith((".hidden", ".restored")):
        return _moderation(entry, words)
    if entry.before or entry.after:
        return _say(
            _("%(actor)s did “%(action)s” on %(target)s: %(changes)s"),
            **words,
            action=_text(action),
            changes=_changes(entry),
        )
    return _say(_("%(actor)s did “%(action)s” on %(target)s"), **words, action=_text(action))


def audit_lines(entries: Iterable[AuditEntry]) -> list[AuditLine]:
    """A page of entries as sentences; the people named by id in membership entries, and the
    rows listed in many-to-many values, are read in one query each."""
    entries = list(entries)
    ids = {
        side.get("user")
        for entry in entries
        if entry.action.startswith("membership.")
        for side in (entry.before or {}, entry.after or {})
        if isinstance(side.get("user"), int)
    }
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)} if ids else {}
    wanted = _many_to_many_wanted(entries)
    token = _RELATED_NAMES.set(_related_names(wanted) if wanted else {})
    try:
        return [AuditLine(entry, audit_sentence(entry, people=people)) for entry in entries]
    finally:
        _RELATED_NAMES.reset(token)
