"""What Ruche's SCIM endpoint serves, as scim2-models resources (pydantic): the attributes a
Ruche account really has, nothing more. `/Schemas` publishes exactly these, so an identity
provider (and the compliance checker) sends only what Ruche keeps and reads back what it sent.

The account → resource and resource → values conversions live here; the services write.
"""

from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from pydantic import Field
from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    CaseExact,
    ChangePassword,
    ComplexAttribute,
    Email,
    ETag,
    Extension,
    Filter,
    Manager,
    Meta,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)

from people.models import Department, User
from provisioning.errors import ScimRefusal

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
MAX_RESULTS = 200  # one page of a list; `count` above it is lowered to it (RFC 7644 3.4.2.4)


class RucheName(ComplexAttribute):
    given_name: str | None = None
    family_name: str | None = None


class RucheEmail(ComplexAttribute):
    """Ruche keeps one address per account, its work address. `type` and `primary` are
    published, read-only and never returned, so that a provider may still select the address
    by them, as Entra ID does with `emails[type eq "work"].value`."""

    # Checked with Django's validator when read (`user_values`), not pydantic's EmailStr,
    # which refuses the special-use domains of many intranets (".local", ".internal").
    value: str | None = None
    type: Annotated[Email.Type | None, Mutability.read_only] = None
    primary: Annotated[bool | None, Mutability.read_only] = None


class RucheEnterpriseUser(Extension):
    """The enterprise extension, reduced to what Ruche keeps: the department (by name) and the
    manager (by SCIM id: another account's id)."""

    __schema__ = URN(ENTERPRISE_SCHEMA)

    department: str | None = None
    manager: Manager | None = None


class RucheUser(Resource[RucheEnterpriseUser]):  # type: ignore[misc]
    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    name: RucheName | None = None
    Name: ClassVar[type[ComplexAttribute]] = RucheName
    # The name Ruche shows: the person's own display name, else their first and last names.
    # Read-only: a person chooses it in their profile; what a provider sends is ignored.
    display_name: Annotated[str | None, Mutability.read_only] = None
    title: str | None = None
    # Ruche always knows whether an account is active: required, and a creation without it
    # is active (`with_default_active`), as RFC 7643 reads a missing value.
    active: Annotated[bool | None, Required.true] = None
    emails: list[RucheEmail] | None = None
    Emails: ClassVar[type[ComplexAttribute]] = RucheEmail


class RucheGroupMember(ComplexAttribute):
    """A member of a department. `display` is the person's name, as Ruche knows it: read-only."""

    value: Annotated[str | None, Mutability.immutable, CaseExact.true] = None
    ref: Annotated[Reference["User"] | None, Mutability.immutable] = Field(  # type: ignore[type-arg]
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])
    display: Annotated[str | None, Mutability.read_only] = None  # published, not returned


class RucheGroup(Resource[Any]):
    """A department: its name and its members (people only: departments do not nest here)."""

    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true] = None
    members: list[RucheGroupMember] | None = None
    Members: ClassVar[type[ComplexAttribute]] = RucheGroupMember


RESOURCE_TYPES = [ResourceType.from_resource(RucheUser), ResourceType.from_resource(RucheGroup)]


def _schemas() -> list[Schema]:
    described = []
    for model, name in (
        (RucheUser, "User"),
        (RucheEnterpriseUser, "EnterpriseUser"),
        (RucheGroup, "Group"),
    ):
        schema = model.to_schema()
        schema.name = schema.description = name
        described.append(schema)
    return described


SCHEMAS = _schemas()


def service_provider_config(base_url: str) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token created with `manage.py scim_token create NAME`.",
                primary=True,
            )
        ],
        meta=Meta(
            resource_type="ServiceProviderConfig", location=f"{base_url}ServiceProviderConfig"
        ),
    )


@dataclass(frozen=True)
class UserValues:
    """What a SCIM request says of an account, in Ruche's terms. `department` is a name
    ("" for none); `manager_id` an account id or None; `external_id` the provider's id."""

    username: str
    email: str
    first_name: str
    last_name: str
    job_title: str
    active: bool
    department: str
    manager_id: int | None
    external_id: str


def user_values(resource: RucheUser) -> UserValues:
    """The values of a User resource (after validation by scim2-models). Raises ScimRefusal
    (invalidValue) when the resource cannot be an account."""
    username = (resource.user_name or "").strip()
    if not username:
        raise ScimRefusal("userName is required.", scim_type="invalidValue")
    emails = resource.emails or []
    # The address the provider marks primary, else its work address (the one a PATCH on
    # `emails[type eq "work"].value` writes), else the first.
    primary = next(
        (e for e in emails if e.primary),
        next((e for e in emails if e.type == Email.Type.work), emails[0] if emails else None),
    )
    email = str(primary.value).strip() if primary and primary.value else ""
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ScimRefusal(
                f"{email[:80]!r} is not an e-mail address (emails.value).",
                scim_type="invalidValue",
            ) from error
    enterprise = resource[RucheEnterpriseUser]
    manager_id = None
    if enterprise is not None and enterprise.manager is not None and enterprise.manager.value:
        if not enterprise.manager.value.isdigit():
            raise ScimRefusal(
                f"No user has the id {enterprise.manager.value[:64]!r} (manager).",
                scim_type="invalidValue",
            )
        manager_id = int(enterprise.manager.value)
    return UserValues(
        username=username,
        email=email,
        first_name=(resource.name.given_name or "") if resource.name else "",
        last_name=(resource.name.family_name or "") if resource.name else "",
        job_title=resource.title or "",
        active=True if resource.active is None else resource.active,
        department=(enterprise.department or "").strip() if enterprise else "",
        manager_id=manager_id,
        external_id=resource.external_id or "",
    )


def user_resource(user: User, *, base_url: str, external_id: str) -> RucheUser:
    """The SCIM representation of an account (`department` and `manager` loaded with it)."""
    enterprise = RucheEnterpriseUser(
        department=user.department.name if user.department_id and user.department else None,
        schemas=[ENTERPRISE_SCHEMA],
        manager=(
            Manager(
                value=str(user.manager_id),
                ref=Reference(f"{base_url}Users/{user.manager_id}"),
            )
            if user.manager_id
            else None
        ),
    )
    location = f"{base_url}Users/{user.pk}"
    resource = RucheUser(
        id=str(user.pk),
        external_id=external_id or None,
        user_name=user.username,
        name=RucheName(given_name=user.first_name or None, family_name=user.last_name or None)
        if user.first_name or user.last_name
        else None,
        display_name=user.name,
        title=user.job_title or None,
        active=user.is_active,
        emails=[RucheEmail(value=user.email)] if user.email else None,
        meta=Meta(
            resource_type="User",
            created=user.date_joined,
            last_modified=user.date_joined,
            location=location,
        ),
    )
    if enterprise.department or enterprise.manager:
        resource[RucheEnterpriseUser] = enterprise
    return resource


def group_resource(
    department: Department, *, base_url: str, external_id: str, members: list[User]
) -> RucheGroup:
    return RucheGroup(
        id=str(department.pk),
        external_id=external_id or None,
        display_name=department.name,
        members=[
            RucheGroupMember(
                value=str(member.pk),
                ref=Reference(f"{base_url}Users/{member.pk}"),
                type="User",
            )
            for member in members
        ]
        or None,
        meta=Meta(resource_type="Group", location=f"{base_url}Groups/{department.pk}"),
    )


def group_member_ids(group: RucheGroup) -> set[int]:
    """The account ids a Group resource lists as members. Raises ScimRefusal for one that is
    not an account id."""
    ids = set()
    for member in group.members or []:
        if not member.value or not member.value.isdigit():
            raise ScimRefusal(
                f"No user has the id {str(member.value)[:64]!r} (member).",
                scim_type="invalidValue",
            )
        ids.add(int(member.value))
    return ids


def with_default_active(payload: Any) -> Any:
    """A User to create or replace: active unless it says otherwise (and "False" is false)."""
    if isinstance(payload, dict):
        payload = {**payload, "active": _boolean(payload.get("active", True))}
    return payload


def entra_patch_normalised(payload: Any) -> Any:
    """A PatchOp as RFC 7644 writes it, from one as Entra ID sends it: operation names in any
    case ("Replace"), booleans as strings ("False"), the manager as a bare id, and replace
    without path whose value uses a dotted or URN-qualified key ("name.givenName",
    "urn:…:enterprise:2.0:User:department")."""
    if not isinstance(payload, dict) or not isinstance(payload.get("Operations"), list):
        return payload
    operations = []
    for operation in payload["Operations"]:
        if not isinstance(operation, dict):
            operations.append(operation)
            continue
        operation = dict(operation)
        if isinstance(operation.get("op"), str):
            operation["op"] = operation["op"].lower()
        path = operation.get("path")
        value = operation.get("value")
        if isinstance(path, str) and path.lower().endswith("manager") and isinstance(value, str):
            operation["value"] = {"value": value}
        if isinstance(path, str) and path.lower() == "active":
            operation["value"] = _boolean(value)
        if path is None and isinstance(value, dict):
            operation["value"] = _nested(value)
        operations.append(operation)
    return {**payload, "Operations": operations}


def _boolean(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _nested(value: dict[str, Any]) -> dict[str, Any]:
    """{"name.givenName": "Jo", "urn:…:User:department": "X", "active": "False"} →
    {"name": {"givenName": "Jo"}, "urn:…:User": {"department": "X"}, "active": False}."""
    nested: dict[str, Any] = {}
    for key, item in value.items():
        item = _boolean(item) if key.lower() == "active" else item
        if key.startswith(ENTERPRISE_SCHEMA + ":"):
            attribute = key[len(ENTERPRISE_SCHEMA) + 1 :]
            if attribute.lower() == "manager" and isinstance(item, str):
                item = {"value": item}
            nested.setdefault(ENTERPRISE_SCHEMA, {})[attribute] = item
        elif "." in key and not key.startswith("urn:"):
            parent, child = key.split(".", 1)
            nested.setdefault(parent, {})[child] = item
        else:
            nested[key] = item
    return nested
