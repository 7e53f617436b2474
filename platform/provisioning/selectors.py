"""Reads of the SCIM endpoint: accounts and departments as resources, filtered in SQL.

A SCIM filter is parsed by scim2-models (`ScimFilter`); its tree is turned into a `Q` over
the attributes an identity provider searches by (userName, externalId, emails, displayName,
id, active, department). Anything else is refused as `invalidFilter`, never evaluated in
Python over every account.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from scim2_models import ScimFilter
from scim2_models.path.expressions import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterNode,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
)

from people.models import Department, User

# SCIM attribute (lower case) → model field, for each resource type.
USER_FIELDS = {
    "id": "pk",
    "username": "username",
    "externalid": "provisioning__external_id",
    "emails": "email",
    "emails.value": "email",
    "name.givenname": "first_name",
    "name.familyname": "last_name",
    "title": "job_title",
    "active": "is_active",
    "department": "department__name",
    "manager.value": "manager_id",
}
GROUP_FIELDS = {
    "id": "pk",
    "displayname": "name",
    "externalid": "provisioning__external_id",
    "members.value": "members__pk",
    "members": "members__pk",
}
LOOKUPS = {
    CompareOperator.eq: "iexact",
    CompareOperator.co: "icontains",
    CompareOperator.sw: "istartswith",
    CompareOperator.ew: "iendswith",
    CompareOperator.gt: "gt",
    CompareOperator.ge: "gte",
    CompareOperator.lt: "lt",
    CompareOperator.le: "lte",
}


class FilterUnsupported(ValueError):
    """A filter Ruche cannot evaluate (syntax, attribute or operator): `invalidFilter`."""


def _field(path: AttrPath, fields: dict[str, str]) -> str:
    name = path.attr.lower() + (f".{path.sub_attr.lower()}" if path.sub_attr else "")
    if name not in fields:
        raise FilterUnsupported(f"Ruche cannot filter on {path}.")
    return fields[name]


def _q(node: FilterNode, fields: dict[str, str]) -> Q:
    if isinstance(node, LogicalExpr):
        combine: Callable[[Q, Q], Q] = (
            (lambda a, b: a & b) if node.op == LogicalOperator.and_ else (lambda a, b: a | b)
        )
        result = _q(node.terms[0], fields)
        for term in node.terms[1:]:
            result = combine(result, _q(term, fields))
        return result
    if isinstance(node, Not):
        return ~_q(node.expr, fields)
    if isinstance(node, Present):
        field = _field(node.attr_path, fields)
        return Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""})
    if isinstance(node, Comparison):
        field = _field(node.attr_path, fields)
        value: Any = node.value
        if field in ("pk", "manager_id", "members__pk"):
            if not str(value).isdigit():
                return Q(pk__in=[])  # no resource has an id that is not a number
            value = int(value)
        if node.op == CompareOperator.ne:
            return ~Q(**{f"{field}__iexact" if isinstance(value, str) else field: value})
        lookup = LOOKUPS.get(node.op)
        if lookup is None:
            raise FilterUnsupported(f"Ruche cannot apply {node.op} to {node.attr_path}.")
        if not isinstance(value, str) and lookup == "iexact":
            lookup = "exact"
        return Q(**{f"{field}__{lookup}": value})
    raise FilterUnsupported(f"Ruche cannot evaluate the filter {node}.")


def filter_q(expression: str | None, fields: dict[str, str]) -> Q:
    if not expression:
        return Q()
    try:
        tree = ScimFilter(expression).ast
    except ValueError as error:
        raise FilterUnsupported(str(error)) from error
    return _q(tree, fields)


def scim_users(expression: str | None = None) -> QuerySet[User]:
    """The accounts the SCIM endpoint serves (all but those a provider deleted), with what
    their representation needs in the same query. Raises FilterUnsupported."""
    return (
        User.objects.filter(filter_q(expression, USER_FIELDS))
        .exclude(provisioning__deleted_at__isnull=False)
        .select_related("department", "manager", "provisioning")
        .order_by("pk")
        .distinct()
    )


def scim_user(pk: str) -> User | None:
    if not pk.isdigit():
        return None
    return scim_users().filter(pk=int(pk)).first()


def scim_groups(expression: str | None = None) -> QuerySet[Department]:
    """The departments, with their members (current accounts) prefetched."""
    members = User.objects.exclude(provisioning__deleted_at__isnull=False).order_by("pk")
    return (
        Department.objects.filter(filter_q(expression, GROUP_FIELDS))
        .select_related("provisioning")
        .prefetch_related(Prefetch("members", queryset=members, to_attr="scim_members"))
        .order_by("pk")
        .distinct()
    )


def scim_group(pk: str) -> Department | None:
    if not pk.isdigit():
        return None
    return scim_groups().filter(pk=int(pk)).first()


def scim_resources(expression: str | None) -> tuple[list[User], list[Department]]:
    """A search at the root (`POST /.search`): accounts and departments. An attribute one type
    lacks makes the filter false for that type (RFC 7644 3.4.2.1); refused if both lack it.
    Bounded like a page: a provider pages per type in practice."""
    found: list[Any] = []
    for select in (scim_users, scim_groups):
        try:
            found.append(list(select(expression)[:200]))
        except FilterUnsupported:
            found.append(None)
    if found[0] is None and found[1] is None:
        raise FilterUnsupported(f"Ruche cannot evaluate the filter {expression}.")
    return found[0] or [], found[1] or []
