"""One refusal vocabulary for every write (STYLE.md, habit 10).

Services refuse with `Refusal` (a message for the person, the form field it concerns if any,
and the HTTP status a view answers with); Django's `ValidationError` and `PermissionDenied`
are refusals too. Views never write a `try` per case: they call `answer_refusal` (an action
button: back to the page with the message, or JSON for scripts) or `form_refusal` (a form:
the message goes on the form, which is shown again with everything typed).

A refusal may carry its own answer: `governance.exceptions.CharterNotAccepted` is a `Refusal`
whose `response()` sends the person to the charter and brings them back to their text. Core
calls `response()` without knowing governance, which sits above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _

from core.http import safe_next, wants_json

if TYPE_CHECKING:
    from django import forms
    from django.utils.functional import Promise


class Refusal(Exception):
    """A write that may not happen, with the sentence that tells the person why."""

    status = 400

    def __init__(
        self, message: str | Promise, *, field: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def response(self, request: HttpRequest) -> HttpResponse | None:
        """A refusal that knows its own answer returns it (the charter gate); None otherwise."""
        return None


class NotFound(Refusal):
    """The object does not exist or the person may not see it: both answer 404, so that
    private content does not even reveal that it exists."""

    status = 404


class Forbidden(Refusal):
    status = 403


# What `answer_refusal` and `form_refusal` understand; a view catches exactly these.
REFUSALS = (Refusal, ValidationError, PermissionDenied)


def refusal_messages(error: BaseException) -> list[str]:
    if isinstance(error, Refusal):
        return [str(error.message)]
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    if isinstance(error, PermissionDenied):
        return [str(error) or _("You may not do this here.")]
    return [str(error)]


def refusal_status(error: BaseException) -> int:
    if isinstance(error, Refusal):
        return error.status
    if isinstance(error, PermissionDenied):
        return 403
    return 400


def answer_refusal(
    request: HttpRequest, error: BaseException, *, back: str | None = None
) -> HttpResponse:
    """The answer to a refused action: the refusal's own answer if it has one; JSON for
    scripts; else a message and a redirect to `back` (or the page's safe `next`)."""
    own = error.response(request) if isinstance(error, Refusal) else None
    if own is not None:
        return own
    errors = refusal_messages(error)
    if wants_json(request):
        return JsonResponse({"ok": False, "errors": errors}, status=refusal_status(error))
    for message in errors:
        messages.error(request, message)
    return HttpResponseRedirect(back or safe_next(request))


def form_refusal(
    request: HttpRequest, form: forms.BaseForm, error: BaseException
) -> HttpResponse | None:
    """Put a refusal on `form` (its field when the refusal names one the form has) so that the
    view shows the form again with what was typed. Returns the refusal's own answer when it
    has one (the caller returns it), else None (the caller re-renders the form)."""
    own = error.response(request) if isinstance(error, Refusal) else None
    if own is not None:
        return own
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None
    field = getattr(error, "field", None)
    for message in refusal_messages(error):
        form.add_error(field if field in form.fields else None, message)
    return None
