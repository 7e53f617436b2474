"""Metrics pages: parse, check through `metrics.permissions`, build the report, render."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exports import Duration, csv_response
from core.refusals import REFUSALS, form_refusal
from metrics import permissions, reports
from metrics.definitions import (
    DEFINITIONS,
    NOT_APPLICABLE_RULE,
    OBJECTIVE_PACE_METHOD,
    PROJECTION_METHOD,
)
from metrics.forms import CriteriaForm, ObjectiveForm
from metrics.objectives import current_objectives, objective_history
from metrics.services import criteria_update, objective_set
from metrics.stage import criteria_current
from metrics.tasks import rollup_pending_until
from people.permissions import can_view_metrics


def _report_for(request: HttpRequest, scope: str) -> reports.Report:
    """The report named by `scope`, if this person may see it; 404 otherwise."""
    user = request.user
    if scope == "organisation":
        if not permissions.can_view_organisation(user):
            raise Http404
        return reports.organisation_report()
    if scope == "communities":
        if not permissions.can_view_communities(user):
            raise Http404
        return reports.managed_communities_report(user)
    kind, _sep, raw_id = scope.partition("-")
    if not raw_id.isdigit():
        raise Http404
    if kind == "department":
        return reports.department_report(permissions.access_department(user, int(raw_id)), user)
    if kind == "leader":
        return reports.leader_report(permissions.access_leader(user, int(raw_id)), user)
    raise Http404


def _render(request: HttpRequest, report_list: list[reports.Report], **extra) -> HttpResponse:
    return render(
        request,
        "metrics/dashboard.html",
        {
            "reports": report_list,
            "definitions": DEFINITIONS,
            "projection_method": PROJECTION_METHOD,
            "not_applicable_rule": NOT_APPLICABLE_RULE,
            "objective_pace_method": OBJECTIVE_PACE_METHOD,
            **extra,
        },
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    """Administrators: the organisation. Others: each dashboard their roles give them."""
    user = request.user
    if not can_view_metrics(user):
        raise Http404
    if permissions.can_view_organisation(user):
        return _render(
            request,
            [reports.organisation_report()],
            departments=reports.department_choices(),
            is_administrator=True,
        )
    return _render(request, reports.role_reports(user))


def report_page(request: HttpRequest, scope: str) -> HttpResponse:
    return _render(request, [_report_for(request, scope)])


def export_csv(request: HttpRequest, scope: str, table: str) -> HttpResponse:
    """Any table of any dashboard this person may see, as CSV (the same numbers)."""
    found = _report_for(request, scope).table(table)
    if found is None:
        raise Http404
    return csv_response(
        filename=f"ruche-{scope}-{table}.csv",
        header=found.columns,
        rows=(
            [_csv_value(cell, fmt) for cell, fmt in zip(row, found.formats, strict=True)]
            for row in found.rows
        ),
    )


def _csv_value(cell: object, fmt: str) -> object:
    if isinstance(cell, tuple):  # (value, format) of mixed tables
        cell, fmt = cell
    if cell is None:
        return ""
    if fmt == "seconds" and isinstance(cell, int | float):
        return Duration(cell)  # "2 h 05 min", in the reader's language
    if isinstance(cell, float):
        # Two decimals, written as a number (a negative trend is not a formula).
        return Decimal(f"{cell:.2f}")
    if isinstance(cell, date):
        return cell.isoformat()
    # Numbers as numbers; text (a community's name, a lazy label) is written by core.exports in
    # the reader's language and made formula-safe.
    return cell


def criteria_edit(request: HttpRequest) -> HttpResponse:
    if not permissions.can_edit_criteria(request.user):
        raise Http404
    # A copy: a refused form must not change the criteria in force, even in memory.
    form = CriteriaForm(request.POST or None, instance=criteria_current())
    if request.method == "POST":
        try:
            if form.is_valid():
                criteria_update(actor=request.user, data=form.cleaned_data)
                messages.success(request, _("The maturity criteria were saved; stages recomputed."))
                return redirect("metrics:criteria")
        except REFUSALS as error:
            if (own := form_refusal(request, form, error)) is not None:
                return own
        messages.error(request, _("The criteria were not saved: the previous ones stay in force."))
    return render(
        request,
        "metrics/criteria.html",
        {"form": form, "in_force": criteria_current(), "definitions": DEFINITIONS},
    )


@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    """Queue a rollup of the pending days (up to today) for an administrator."""
    if not permissions.can_refresh_metrics(request.user):
        raise Http404
    today = timezone.localdate().isoformat()
    transaction.on_commit(lambda: rollup_pending_until.delay(today))
    messages.success(request, _("The metrics are being recomputed; reload in a minute."))
    return redirect("metrics:dashboard")


def objective_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    """The department head sets (or replaces) the department's objective; the history below."""
    department = permissions.access_department(request.user, department_id)
    if not permissions.can_set_objective(request.user, department):  # sees it, may not set it
        raise PermissionDenied
    current = current_objectives([department.pk]).first()
    initial = {f: getattr(current, f) for f in ObjectiveForm.base_fields} if current else {}
    form = ObjectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            objective_set(head=request.user, department=department, **form.cleaned_data)
            messages.success(
                request, _("The objective was set; the previous one stays in its history.")
            )
            return redirect("metrics:report", f"department-{department.pk}")
        except REFUSALS as error:
            if (own := form_refusal(request, form, error)) is not None:
                return own
    back = reverse("metrics:report", args=[f"department-{department.pk}"])
    context = {"form": form, "department": department, "current": current, "back": back}
    history = objective_history(department)
    return render(request, "metrics/objective.html", {**context, "history": history})
