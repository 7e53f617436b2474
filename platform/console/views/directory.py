"""The directory import (administrators): upload a CSV file, read the dry run (what would
change, or each line's errors), confirm. The confirmation applies exactly the file previewed
(it comes back signed with the preview's plan digest) and is refused if the plan is no longer
the same: the directory changed in between, and the new plan is shown to confirm again."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console import services
from console.forms import DirectoryConfirmForm, DirectoryImportForm, import_token
from console.permissions import can_import_directory
from core.types import AuthenticatedRequest
from people.directory_import import COLUMNS, Plan

TEMPLATE = "console/directory_import.html"


def directory_import(request: AuthenticatedRequest) -> HttpResponse:
    """The upload form; posted, the dry run of the file (nothing written)."""
    if not can_import_directory(request.user):
        raise Http404
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, {"form": form, "columns": COLUMNS})
    plan = services.directory_import_preview(
        actor=request.user,
        content=form.cleaned_data["file"],
        deactivate_missing=form.cleaned_data["deactivate_missing"],
    )
    return _preview(
        request, plan, form.cleaned_data["file"], form.cleaned_data["deactivate_missing"]
    )


@require_POST
def directory_import_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Apply the previewed file, all of it or nothing."""
    if not can_import_directory(request.user):
        raise Http404
    form = DirectoryConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["token"]))
        return redirect("governance:directory_import")
    previewed = form.cleaned_data["token"]
    try:
        plan = services.directory_import_apply(actor=request.user, **previewed)
    except (services.DirectoryChanged, services.ImportInvalid) as refused:
        messages.error(request, str(refused.message))
        return _preview(
            request, refused.plan, previewed["content"], previewed["deactivate_missing"]
        )
    messages.success(request, _("The directory was imported."))
    return render(request, TEMPLATE, {"plan": plan, "applied": True, "columns": COLUMNS})


def _preview(
    request: AuthenticatedRequest, plan: Plan, content: bytes, deactivate_missing: bool
) -> HttpResponse:
    token = import_token(content=content, deactivate_missing=deactivate_missing, digest=plan.digest)
    context = {
        "plan": plan,
        "confirm": DirectoryConfirmForm(initial={"token": token}) if plan.valid else None,
        "form": DirectoryImportForm(initial={"deactivate_missing": deactivate_missing}),
        "columns": COLUMNS,
    }
    return render(request, TEMPLATE, context, status=200 if plan.valid else 400)
