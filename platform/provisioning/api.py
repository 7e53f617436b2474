"""The SCIM protocol around the views: bearer-token authentication, JSON bodies parsed and
validated by scim2-models, answers in `application/scim+json`, and every refusal as an RFC 7644
error (3.12: `schemas`, `status`, `scimType`, `detail`). The views stay thin."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError as PydanticValidationError
from scim2_models import (
    BaseModel,
    Context,
    Error,
    ListResponse,
    ResponseParameters,
    SCIMException,
)

from core.refusals import Refusal
from provisioning.errors import ScimRefusal
from provisioning.models import ProvisioningClient
from provisioning.selectors import FilterUnsupported
from provisioning.services import client_authenticated

CONTENT_TYPE = "application/scim+json"
MAX_BODY_BYTES = 1_000_000
ModelT = TypeVar("ModelT", bound=BaseModel)
View = Callable[..., HttpResponse]


def scim_json(data: Any, *, status: int = 200, location: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(data), status=status, content_type=CONTENT_TYPE)
    if location:
        response["Location"] = location
    return response


def scim_error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, scim_type=scim_type, detail=detail)
    response = scim_json(error.model_dump(), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


def _refusal_answer(error: Exception) -> HttpResponse:
    """The one place where a refusal becomes a SCIM error."""
    if isinstance(error, SCIMException):
        scim_error_ = error.to_error()
        return scim_json(scim_error_.model_dump(), status=int(scim_error_.status or 400))
    if isinstance(error, PydanticValidationError):
        first = Error.from_validation_errors(error)[0]
        return scim_error(int(first.status or 400), first.detail or "", first.scim_type)
    if isinstance(error, FilterUnsupported):
        return scim_error(400, str(error), "invalidFilter")
    if isinstance(error, ScimRefusal):
        return scim_error(error.status, str(error.message), error.scim_type)
    if isinstance(error, ValidationError):
        return scim_error(400, "; ".join(error.messages), "invalidValue")
    if isinstance(error, PermissionDenied):
        return scim_error(403, "This client may not do this.")
    status = error.status if isinstance(error, Refusal) else 400
    return scim_error(status, str(getattr(error, "message", error)))


def client_of(request: HttpRequest) -> ProvisioningClient:
    client: ProvisioningClient = request.scim_client  # type: ignore[attr-defined]
    return client


def scim_endpoint(view: View) -> View:
    """Authenticate the client by its bearer token (401 otherwise, before anything is read)
    and answer every refusal as a SCIM error. No session, no CSRF: a server calls this."""

    @login_not_required
    @csrf_exempt
    @never_cache
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
        client = client_authenticated(secret=secret.strip()) if scheme.lower() == "bearer" else None
        if client is None:
            return scim_error(401, "A valid bearer token is required (Authorization: Bearer …).")
        request.scim_client = client  # type: ignore[attr-defined]
        try:
            return view(request, *args, **kwargs)
        except (
            Refusal,
            SCIMException,
            PydanticValidationError,
            FilterUnsupported,
            ValidationError,
            PermissionDenied,
        ) as error:
            return _refusal_answer(error)

    return wrapped


def body_json(request: HttpRequest) -> Any:
    """The request's JSON body; a SCIM `invalidSyntax` error if there is none."""
    if len(request.body) > MAX_BODY_BYTES:
        raise ScimRefusal("The request body is too large.", status=413)
    try:
        return json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ScimRefusal(f"The body is not JSON: {error}", scim_type="invalidSyntax") from error


def body_as(
    model: type[ModelT],
    request: HttpRequest,
    context: Context,
    prepare: Callable[[Any], Any] = lambda payload: payload,
) -> ModelT:
    """The body validated as `model` (after `prepare`, which reads a provider's dialect)."""
    payload = body_json(request)
    if not isinstance(payload, dict):
        raise ScimRefusal("The body must be a JSON object.", scim_type="invalidSyntax")
    return model.model_validate(prepare(payload), scim_ctx=context)


def response_parameters(params: Mapping[str, Any], model: type[Any]) -> ResponseParameters[Any]:
    """`attributes` and `excludedAttributes`, from the query string or a search body."""
    return ResponseParameters[model].model_validate(  # type: ignore[valid-type]
        {
            "attributes": params.get("attributes") or None,
            "excludedAttributes": params.get("excludedAttributes") or None,
        }
    )


def resource_json(
    resource: BaseModel, request: HttpRequest, context: Context, *, status: int = 200
) -> HttpResponse:
    params = response_parameters(request.GET, type(resource))
    data = resource.model_dump(scim_ctx=context, response_parameters=params)
    location = data.get("meta", {}).get("location") if status == 201 else None
    return scim_json(data, status=status, location=location)


def page_bounds(params: Mapping[str, Any], maximum: int) -> tuple[int, int]:
    """startIndex (1-based) and count, as RFC 7644 3.4.2.4 reads them: below 1 is 1, a
    negative count is 0, a count above `maximum` is `maximum`."""
    try:
        start = max(1, int(params.get("startIndex", 1)))
        count = min(maximum, max(0, int(params.get("count", maximum))))
    except (TypeError, ValueError) as error:
        raise ScimRefusal("startIndex and count are integers.", scim_type="invalidValue") from error
    return start, count


def list_json(
    resources: list[Any], *, total: int, start: int, params: Mapping[str, Any], model: type[Any]
) -> HttpResponse:
    parameters = response_parameters(params, model)
    listing = ListResponse[model](  # type: ignore[valid-type]
        total_results=total, start_index=start, items_per_page=len(resources), resources=resources
    )
    return scim_json(
        listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    )
