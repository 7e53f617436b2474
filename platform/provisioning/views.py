"""`/scim/v2/`: SCIM 2.0 (RFC 7643, 7644) for the company's identity provider. Each view
parses, calls a selector or a service, answers; `api.scim_endpoint` authenticates and turns
refusals into SCIM errors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from scim2_models import Context, PatchOp, ResourceType, Schema, SearchRequest

from people.models import Department, User
from provisioning import selectors, services
from provisioning.api import (
    body_as,
    body_json,
    client_of,
    list_json,
    page_bounds,
    resource_json,
    scim_endpoint,
    scim_error,
    scim_json,
)
from provisioning.schema import (
    MAX_RESULTS,
    RESOURCE_TYPES,
    SCHEMAS,
    RucheGroup,
    RucheUser,
    entra_patch_normalised,
    group_member_ids,
    group_resource,
    service_provider_config,
    user_resource,
    user_values,
    with_default_active,
)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("provisioning:root"))


def _user(request: HttpRequest, user: User) -> RucheUser:
    link = getattr(user, "provisioning", None)
    return user_resource(
        user, base_url=_base(request), external_id=link.external_id if link else ""
    )


def _group(request: HttpRequest, department: Department) -> RucheGroup:
    link = getattr(department, "provisioning", None)
    members = getattr(department, "scim_members", None)
    if members is None:
        members = list(selectors.scim_users().filter(department=department))
    return group_resource(
        department,
        base_url=_base(request),
        external_id=link.external_id if link else "",
        members=members,
    )


def _not_found(kind: str, pk: str) -> HttpResponse:
    return scim_error(404, f"No {kind} has the id {pk[:64]!r}.")


@scim_endpoint
@require_GET
def service_provider_config_view(request: HttpRequest) -> HttpResponse:
    return scim_json(service_provider_config(_base(request)).model_dump())


def _described(
    request: HttpRequest,
    items: list[ResourceType] | list[Schema],
    model: type,
    pk: str | None,
    path: str,
) -> HttpResponse:
    base = _base(request)
    described = [item.model_copy(deep=True) for item in items]
    for item in described:
        item.meta = item.meta or type(item).model_fields["meta"].annotation.__args__[0]()  # type: ignore[union-attr]
        item.meta.resource_type = model.__name__
        item.meta.location = f"{base}{path}/{item.id}"
    if pk is None:
        return list_json(described, total=len(described), start=1, params=request.GET, model=model)
    found = next((item for item in described if item.id == pk), None)
    return scim_json(found.model_dump()) if found else _not_found(model.__name__, pk)


@scim_endpoint
@require_GET
def resource_types_view(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    return _described(request, RESOURCE_TYPES, ResourceType, pk, "ResourceTypes")


@scim_endpoint
@require_GET
def schemas_view(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    return _described(request, SCHEMAS, Schema, pk, "Schemas")


@scim_endpoint
@require_http_methods(["GET", "POST"])
def users_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        resource = body_as(
            RucheUser, request, Context.RESOURCE_CREATION_REQUEST, with_default_active
        )
        user = services.user_provision(client=client_of(request), values=user_values(resource))
        user = selectors.scim_users().get(pk=user.pk)
        return resource_json(
            _user(request, user), request, Context.RESOURCE_CREATION_RESPONSE, status=201
        )
    start, count = page_bounds(request.GET, MAX_RESULTS)
    found = selectors.scim_users(request.GET.get("filter"))
    page = [_user(request, u) for u in found[start - 1 : start - 1 + count]]
    return list_json(page, total=found.count(), start=start, params=request.GET, model=RucheUser)


@scim_endpoint
@require_http_methods(["GET", "PUT", "PATCH", "DELETE"])
def user_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = selectors.scim_user(pk)
    if user is None:
        return _not_found("user", pk)
    client = client_of(request)
    if request.method == "DELETE":
        services.user_delete(client=client, user=user)
        return HttpResponse(status=204)
    if request.method == "GET":
        return resource_json(_user(request, user), request, Context.RESOURCE_QUERY_RESPONSE)
    resource = _user(request, user)
    if request.method == "PUT":
        replacement = body_as(
            RucheUser, request, Context.RESOURCE_REPLACEMENT_REQUEST, with_default_active
        )
        replacement.replace(resource)
        resource = replacement
    else:
        patch = PatchOp[RucheUser].model_validate(
            entra_patch_normalised(body_json(request)), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        patch.patch(resource)
    services.user_apply(client=client, user=user, values=user_values(resource))
    user = selectors.scim_users().get(pk=user.pk)
    context = (
        Context.RESOURCE_REPLACEMENT_RESPONSE
        if request.method == "PUT"
        else Context.RESOURCE_PATCH_RESPONSE
    )
    return resource_json(_user(request, user), request, context)


@scim_endpoint
@require_http_methods(["GET", "POST"])
def groups_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        group = body_as(RucheGroup, request, Context.RESOURCE_CREATION_REQUEST)
        department = services.group_provision(
            client=client_of(request),
            name=group.display_name or "",
            external_id=group.external_id or "",
            member_ids=group_member_ids(group),
        )
        return resource_json(
            _group(request, department), request, Context.RESOURCE_CREATION_RESPONSE, status=201
        )
    start, count = page_bounds(request.GET, MAX_RESULTS)
    found = selectors.scim_groups(request.GET.get("filter"))
    page = [_group(request, d) for d in found[start - 1 : start - 1 + count]]
    return list_json(page, total=found.count(), start=start, params=request.GET, model=RucheGroup)


@scim_endpoint
@require_http_methods(["POST"])
def search_view(request: HttpRequest, kind: str) -> HttpResponse:
    """POST /Users/.search, /Groups/.search (RFC 7644 3.4.3): the query in the body."""
    search = body_as(SearchRequest, request, Context.SEARCH_REQUEST)
    params = search.model_dump(exclude_none=True)
    start, count = page_bounds(params, MAX_RESULTS)
    expression = str(search.filter) if search.filter else None
    if kind == "Users":
        users = selectors.scim_users(expression)
        page: list[Any] = [_user(request, u) for u in users[start - 1 : start - 1 + count]]
        return list_json(page, total=users.count(), start=start, params=params, model=RucheUser)
    if kind == "Groups":
        groups = selectors.scim_groups(expression)
        page = [_group(request, d) for d in groups[start - 1 : start - 1 + count]]
        return list_json(page, total=groups.count(), start=start, params=params, model=RucheGroup)
    users_found, groups_found = selectors.scim_resources(expression)
    found = [_user(request, u) for u in users_found] + [_group(request, d) for d in groups_found]
    return list_json(
        found[start - 1 : start - 1 + count],
        total=len(found),
        start=start,
        params=params,
        model=RucheUser | RucheGroup,  # type: ignore[arg-type]
    )


@scim_endpoint
def not_found_view(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other path under /scim/v2/: a SCIM 404, not Django's page or a redirect."""
    return scim_error(404, f"Ruche serves no SCIM endpoint at {rest[:80]!r}.")


@scim_endpoint
@require_http_methods(["GET", "PUT", "PATCH", "DELETE"])
def group_view(request: HttpRequest, pk: str) -> HttpResponse:
    department = selectors.scim_group(pk)
    if department is None:
        return _not_found("group", pk)
    client = client_of(request)
    if request.method == "DELETE":
        services.group_delete(client=client, department=department)
        return HttpResponse(status=204)
    if request.method == "GET":
        return resource_json(_group(request, department), request, Context.RESOURCE_QUERY_RESPONSE)
    group = _group(request, department)
    if request.method == "PUT":
        replacement = body_as(RucheGroup, request, Context.RESOURCE_REPLACEMENT_REQUEST)
        replacement.replace(group)
        group = replacement
    else:
        patch = PatchOp[RucheGroup].model_validate(
            entra_patch_normalised(body_json(request)), scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        patch.patch(group)
    services.group_apply(
        client=client,
        department=department,
        name=group.display_name or "",
        external_id=group.external_id or "",
        member_ids=group_member_ids(group),
    )
    context = (
        Context.RESOURCE_REPLACEMENT_RESPONSE
        if request.method == "PUT"
        else Context.RESOURCE_PATCH_RESPONSE
    )
    return resource_json(
        _group(request, selectors.scim_groups().get(pk=department.pk)), request, context
    )
