"""Writes of SCIM provisioning: the identity provider's clients, and the accounts and
departments it creates, changes and deactivates. Every account change goes through the people
services (so a change of department or status is dated in `PersonHistory` and past metrics
keep the department of their day) and leaves an audit entry naming the client."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.refusals import Refusal
from governance.services import audit_record
from people import services as people_services
from people.models import Department, User, new_secret_token, token_digest
from provisioning.errors import ScimRefusal
from provisioning.models import ProvisionedDepartment, ProvisionedUser, ProvisioningClient
from provisioning.permissions import can_manage_provisioning
from provisioning.schema import UserValues


def _label(client: ProvisioningClient) -> str:
    return f"SCIM: {client.name}"


# --- Clients --------------------------------------------------------------------------------


@transaction.atomic
def client_create(*, actor: User | None, name: str) -> tuple[ProvisioningClient, str]:
    """A new provisioning client and its bearer token, returned to be shown once: only its
    SHA-256 is kept. `actor` None: the command line (`manage.py scim_token create`)."""
    if actor is not None and not can_manage_provisioning(actor):
        raise Refusal(_("Only administrators manage provisioning clients."), status=403)
    name = name.strip()[:120]
    if not name:
        raise Refusal(_("Give the client a name."), field="name")
    if ProvisioningClient.objects.filter(name__iexact=name).exists():
        raise Refusal(_("A provisioning client is already called %(name)s.") % {"name": name})
    secret = new_secret_token()
    client = ProvisioningClient.objects.create(name=name, token_hash=token_digest(secret))
    audit_record(actor=actor, action="scim_client.created", target=client, after={"name": name})
    return client, secret


@transaction.atomic
def client_delete(*, actor: User | None, client: ProvisioningClient) -> None:
    """Revoke a client: its token stops working at once."""
    if actor is not None and not can_manage_provisioning(actor):
        raise Refusal(_("Only administrators manage provisioning clients."), status=403)
    audit_record(actor=actor, action="scim_client.deleted", target=client)
    client.delete()


def client_authenticated(*, secret: str) -> ProvisioningClient | None:
    """The client this bearer token belongs to, or None. Notes when it was last used (at most
    once a minute: a synchronisation sends hundreds of requests)."""
    if not secret or len(secret) > 64:
        return None
    client = ProvisioningClient.objects.filter(token_hash=token_digest(secret)).first()
    if client is None:
        return None
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        ProvisioningClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


# --- Users ----------------------------------------------------------------------------------


def _department(client: ProvisioningClient, name: str) -> Department | None:
    if not name:
        return None
    exists = Department.objects.filter(name__iexact=name.strip()[:120]).first()
    if exists is not None:
        return exists
    department = people_services.department_named(name)
    audit_record(
        actor=None,
        actor_label=_label(client),
        action="department.created",
        target=department,
        after={"name": department.name},
    )
    return department


def _manager(values: UserValues, user: User | None) -> User | None:
    if values.manager_id is None:
        return None
    manager = User.objects.filter(pk=values.manager_id).first()
    if manager is None:
        raise ScimRefusal(
            _("No user has the id %(id)s (manager).") % {"id": values.manager_id},
            scim_type="invalidValue",
        )
    if user is not None and manager.pk == user.pk:
        raise ScimRefusal(_("A person cannot be their own manager."), scim_type="invalidValue")
    return manager


def _check_unique(values: UserValues, user: User | None) -> None:
    others = User.objects.exclude(pk=user.pk) if user is not None else User.objects.all()
    if others.filter(username__iexact=values.username).exists():
        raise ScimRefusal(
            _("A user already has the userName %(name)s.") % {"name": values.username},
            scim_type="uniqueness",
            status=409,
        )
    if values.email and others.filter(email__iexact=values.email).exists():
        raise ScimRefusal(
            _("A user already has the e-mail address %(email)s.") % {"email": values.email},
            scim_type="uniqueness",
            status=409,
        )
    if len(values.username) > 150 or len(values.first_name) > 150 or len(values.last_name) > 150:
        raise ScimRefusal(
            _("userName, givenName and familyName have at most 150 characters."),
            scim_type="invalidValue",
        )


def _directory_values(client: ProvisioningClient, values: UserValues) -> dict[str, Any]:
    return {
        "username": values.username,
        "email": values.email,
        "first_name": values.first_name,
        "last_name": values.last_name,
        "job_title": values.job_title[:150],
        "department": _department(client, values.department),
    }


def _audit_value(value: Any) -> Any:
    return str(value) if isinstance(value, User | Department) else value


@transaction.atomic
def user_provision(*, client: ProvisioningClient, values: UserValues) -> User:
    """Create the account the identity provider sends (SCIM POST), or bring back the one it
    deleted earlier under the same userName. Refuses (ScimRefusal 409) a userName or e-mail
    another account has."""
    previous = (
        ProvisionedUser.objects.select_for_update()
        .select_related("user")
        .filter(user__username__iexact=values.username, deleted_at__isnull=False)
        .first()
    )
    if previous is not None:
        previous.deleted_at = None
        previous.save(update_fields=["deleted_at"])
        return user_apply(client=client, user=previous.user, values=values)
    _check_unique(values, None)
    manager = _manager(values, None)
    fields = _directory_values(client, values)
    user = people_services.user_create(
        username=fields["username"],
        email=fields["email"],
        first_name=fields["first_name"],
        last_name=fields["last_name"],
        department=fields["department"],
        job_title=fields["job_title"],
    )
    if manager is not None:
        people_services.person_directory_update(person=user, values={"manager": manager})
    ProvisionedUser.objects.create(user=user, external_id=values.external_id[:255])
    audit_record(
        actor=None,
        actor_label=_label(client),
        action="account.created",
        target=user,
        after={k: _audit_value(v) for k, v in fields.items()} | {"manager": _audit_value(manager)},
    )
    if not values.active:
        _deactivate(client, user)
    return user


@transaction.atomic
def user_apply(*, client: ProvisioningClient, user: User, values: UserValues) -> User:
    """Make the account what the identity provider says (SCIM PUT, or PATCH once applied to
    its current state): only the fields that differ are saved and audited; `active` false
    deactivates it (sessions, sockets and personal tokens end at once, content stays)."""
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("department", "manager")
        .get(pk=user.pk)
    )
    _check_unique(values, user)
    fields = _directory_values(client, values) | {"manager": _manager(values, user)}
    changed = {name: value for name, value in fields.items() if getattr(user, name) != value}
    before = {name: _audit_value(getattr(user, name)) for name in changed}
    if changed:
        people_services.person_directory_update(person=user, values=changed)
        audit_record(
            actor=None,
            actor_label=_label(client),
            action="account.updated",
            target=user,
            before=before,
            after={name: _audit_value(value) for name, value in changed.items()},
        )
    link, _created = ProvisionedUser.objects.get_or_create(user=user)
    if link.external_id != values.external_id[:255]:
        link.external_id = values.external_id[:255]
        link.save(update_fields=["external_id"])
    if values.active and not user.is_active:
        people_services.person_active_set(person=user, active=True)
        audit_record(
            actor=None,
            actor_label=_label(client),
            action="account.reactivated",
            target=user,
            before={"is_active": False},
            after={"is_active": True},
        )
    elif not values.active and user.is_active:
        _deactivate(client, user)
    return user


def _deactivate(client: ProvisioningClient, user: User) -> None:
    """Deactivate inside the caller's transaction: `person_active_set` ends the sessions and
    closes the sockets after the commit; the personal tokens (feeds, calendars) go now."""
    people_services.person_active_set(person=user, active=False)
    revoked = people_services.personal_tokens_revoke(user=user)
    audit_record(
        actor=None,
        actor_label=_label(client),
        action="account.deactivated",
        target=user,
        before={"is_active": True},
        after={"is_active": False, "tokens_revoked": revoked},
    )


@transaction.atomic
def user_delete(*, client: ProvisioningClient, user: User) -> None:
    """SCIM DELETE: Ruche never deletes an employee's account (their posts and comments stay
    attributed): it is deactivated and leaves the SCIM endpoint, until the provider creates
    the same userName again."""
    link, _created = ProvisionedUser.objects.select_for_update().get_or_create(user=user)
    if user.is_active:
        _deactivate(client, user)
    link.deleted_at = timezone.now()
    link.save(update_fields=["deleted_at"])


# --- Groups: the departments ------------------------------------------------------------------


def _members_set(client: ProvisioningClient, department: Department, member_ids: set[int]) -> None:
    """Make `member_ids` the members of `department`: each move goes through the people
    services (dated in PersonHistory); people who leave it are left without a department."""
    found = {u.pk: u for u in User.objects.select_for_update().filter(pk__in=member_ids)}
    missing = member_ids - set(found)
    if missing:
        raise ScimRefusal(
            _("No user has the id %(id)s (member).") % {"id": min(missing)},
            scim_type="invalidValue",
        )
    leaving = (
        User.objects.select_for_update().filter(department=department).exclude(pk__in=member_ids)
    )
    moves = [(u, None) for u in leaving] + [
        (u, department) for u in found.values() if u.department_id != department.pk
    ]
    for person, target in moves:
        before = person.department.name if person.department_id and person.department else None
        people_services.person_directory_update(person=person, values={"department": target})
        audit_record(
            actor=None,
            actor_label=_label(client),
            action="account.updated",
            target=person,
            before={"department": before},
            after={"department": target.name if target else None},
        )


def _group_name_free(name: str, department: Department | None) -> None:
    others = Department.objects.exclude(pk=department.pk) if department else Department.objects
    if not name.strip():
        raise ScimRefusal(_("displayName is required."), scim_type="invalidValue")
    if others.filter(name__iexact=name.strip()[:120]).exists():
        raise ScimRefusal(
            _("A group already has the displayName %(name)s.") % {"name": name},
            scim_type="uniqueness",
            status=409,
        )


@transaction.atomic
def group_provision(
    *, client: ProvisioningClient, name: str, external_id: str, member_ids: set[int]
) -> Department:
    """A new department for a SCIM group (POST /Groups), with its members moved into it."""
    _group_name_free(name, None)
    department = people_services.department_named(name)
    audit_record(
        actor=None,
        actor_label=_label(client),
        action="department.created",
        target=department,
        after={"name": department.name},
    )
    ProvisionedDepartment.objects.create(department=department, external_id=external_id[:255])
    _members_set(client, department, member_ids)
    return department


@transaction.atomic
def group_apply(
    *,
    client: ProvisioningClient,
    department: Department,
    name: str,
    external_id: str,
    member_ids: set[int],
) -> Department:
    """Make the department what the group says (PUT, or PATCH once applied): its name, its
    external id and its members."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    _group_name_free(name, department)
    if department.name != name.strip()[:120]:
        audit_record(
            actor=None,
            actor_label=_label(client),
            action="department.renamed",
            target=department,
            before={"name": department.name},
            after={"name": name.strip()[:120]},
        )
        department.name = name.strip()[:120]
        department.save(update_fields=["name"])
    link, _created = ProvisionedDepartment.objects.get_or_create(department=department)
    if link.external_id != external_id[:255]:
        link.external_id = external_id[:255]
        link.save(update_fields=["external_id"])
    _members_set(client, department, member_ids)
    return department


@transaction.atomic
def group_delete(*, client: ProvisioningClient, department: Department) -> None:
    """SCIM DELETE of a group: its members leave it (dated in PersonHistory, so past metrics
    keep it), then the department goes. Refused while other departments are under it."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    if Department.objects.filter(parent=department).exists():
        raise ScimRefusal(
            _("The department %(name)s has sub-departments: move them first.")
            % {"name": department.name},
            scim_type="mutability",
            status=409,
        )
    _members_set(client, department, set())
    audit_record(
        actor=None,
        actor_label=_label(client),
        action="department.deleted",
        target=department,
        before={"name": department.name},
    )
    Department.objects.filter(pk=department.pk).delete()
