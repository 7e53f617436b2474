"""Reporting a piece of content (any employee, on what they can see)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from console import selectors, services
from console.forms import ReportForm
from core.refusals import REFUSALS, NotFound, form_refusal
from core.types import AuthenticatedRequest


def _report_sent(
    request: AuthenticatedRequest, form: ReportForm, kind: str, object_id: int
) -> bool:
    """Send the report of a valid form: True when sent (with its message), False when the
    form goes back with the refusal on it. 404 when the content vanished meanwhile."""
    try:
        _report, created = services.report_create(
            reporter=request.user, kind=kind, object_id=object_id, **form.cleaned_data
        )
    except NotFound:
        raise Http404 from None
    except REFUSALS as error:
        form_refusal(request, form, error)
        return False
    if created:
        messages.success(request, _("Thank you: a moderator will look at it."))
    else:
        messages.info(request, _("You already reported this; a moderator will look at it."))
    return True


def report_content(request: AuthenticatedRequest, kind: str, object_id: int) -> HttpResponse:
    """Report a post, thread, comment or reply. 404 when it does not exist for this person."""
    target = selectors.report_target(request.user, kind, object_id)
    if target is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _report_sent(request, form, kind, object_id)
    ):
        return redirect(target.url)
    return render(request, "console/report_form.html", {"form": form, "info": target})
