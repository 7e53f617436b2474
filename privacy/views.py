"""Download a person's data; erase a person (administrators)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.refusals import NotFound
from core.types import AuthenticatedRequest
from people.models import User
from privacy import services
from privacy.forms import EraseForm
from privacy.permissions import can_erase


def export(request: AuthenticatedRequest, username: str) -> HttpResponse:
    person = get_object_or_404(User, username=username)
    try:
        archive = services.person_export(actor=request.user, person=person)
    except NotFound as error:
        raise Http404(str(error)) from error
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="ruche-{person.pk}.zip"'
    return response


def export_own(request: AuthenticatedRequest) -> HttpResponse:
    return export(request, request.user.username)


def erase(request: AuthenticatedRequest, username: str) -> HttpResponse:
    person = get_object_or_404(User, username=username)
    if not can_erase(request.user, person):
        raise Http404
    form = EraseForm(request.POST or None, username=person.username)
    if request.method == "POST" and form.is_valid():
        services.person_erase(actor=request.user, person=person)
        messages.success(request, _("The person has been erased."))
        return redirect("people:directory")
    context = {"person": person, "form": form, "erasure_content": settings.RUCHE_ERASURE_CONTENT}
    return render(request, "privacy/erase.html", context)
