"""The moderation queue (administrators: everything; community managers: their communities),
its decisions, and what moderation decided about my own content."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from console import selectors, services
from console.forms import DecisionForm
from console.models import ReportStatus
from console.permissions import access_report, can_view_moderation_queue
from core.refusals import REFUSALS, form_refusal
from core.types import AuthenticatedRequest

QUEUE_PAGE_SIZE = 30
DECISIONS: dict[str, tuple[Callable[..., Any], Promise]] = {
    "hide": (services.report_hide, _("The content is hidden and its author was told why.")),
    "dismiss": (services.report_dismiss, _("Report dismissed: the content stays.")),
    "restore": (services.report_restore, _("The content is visible again.")),
}


def moderation_queue(request: AuthenticatedRequest) -> HttpResponse:
    if not can_view_moderation_queue(request.user):
        raise Http404
    status = selectors.queue_status(request.GET.get("status"))
    reports = selectors.moderation_queue(request.user, status=status)
    page = Paginator(reports, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.community_names({r.community_id for r in page if r.community_id})
    return render(
        request,
        "console/moderation_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ReportStatus.choices,
            "communities": names,
            "form": DecisionForm(),
            "query_string": f"status={status}",
        },
    )


@require_POST
def moderation_decide(request: AuthenticatedRequest, report_id: int, decision: str) -> HttpResponse:
    """Hide, dismiss or restore, from the queue. A refused decision keeps the note typed."""
    report = access_report(request.user, report_id)
    if decision not in DECISIONS:
        raise Http404
    service, done = DECISIONS[decision]
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            service(moderator=request.user, report=report, note=form.cleaned_data["note"])
        except REFUSALS as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(request, str(done))
            return redirect("governance:moderation_queue")
    context = {"report": report, "form": form, "decision": decision}
    return render(request, "console/moderation_decide.html", context)


def my_moderation(request: AuthenticatedRequest) -> HttpResponse:
    """What moderation did to my content, and why."""
    return render(
        request,
        "console/my_moderation.html",
        {"decisions": selectors.moderation_of_my_content(request.user)},
    )
