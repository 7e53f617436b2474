"""Governance pages. Views parse, check (governance.permissions), call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import selectors, services
from governance.forms import CharterAcceptForm, CharterForm
from governance.gate import has_pending_form, safe_return_url
from governance.permissions import access_charter_for_edit, can_manage_charter

# --- Charter ----------------------------------------------------------------------------------


def charter(request: HttpRequest) -> HttpResponse:
    """The current charter; accept it here. `next` is where the gate brings the person back."""
    current = selectors.current_charter()
    next_url = safe_return_url(request, request.POST.get("next") or request.GET.get("next"))
    accepted = current is not None and selectors.charter_accepted(request.user, charter=current)
    form = CharterAcceptForm(
        request.POST or None, initial={"version": current.version if current else None}
    )
    if request.method == "POST" and current is not None and form.is_valid():
        if form.cleaned_data["version"] != current.version:
            messages.error(request, _("A new version was published meanwhile: please read it."))
        else:
            try:
                services.charter_accept(user=request.user, charter=current)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Thank you: you accepted the charter."))
                return redirect(next_url)
    return render(
        request,
        "governance/charter.html",
        {
            "charter": current,
            "accepted": accepted,
            "form": form,
            "next": next_url,
            "gated": request.GET.get("gate") == "1" or request.POST.get("gate") == "1",
            "kept_text": has_pending_form(request, next_url),
            "can_manage": can_manage_charter(request.user),
        },
    )


def charter_versions(request: HttpRequest) -> HttpResponse:
    if not can_manage_charter(request.user):
        raise Http404
    return render(
        request,
        "governance/charter_versions.html",
        {"versions": selectors.charter_versions(), "current": selectors.current_charter()},
    )


def charter_edit(request: HttpRequest, charter_id: int | None = None) -> HttpResponse:
    """Write a new version (prefilled with the current text) or change a draft."""
    if charter_id is None:
        if not can_manage_charter(request.user):
            raise Http404
        instance = None
        latest = selectors.charter_versions().first()
        initial = {f: getattr(latest, f) for f in services.CHARTER_FIELDS} if latest else {}
    else:
        instance = access_charter_for_edit(request.user, charter_id)
        if instance.is_published:
            messages.info(request, _("A published version cannot be changed: write a new one."))
            return redirect("governance:charter_versions")
        initial = {}
    form = CharterForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.CHARTER_FIELDS}
        try:
            saved = services.charter_draft_save(actor=request.user, data=data, charter=instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Draft version %(version)s saved.") % {"version": saved.version}
            )
            return redirect("governance:charter_versions")
    return render(request, "governance/charter_edit.html", {"form": form, "charter": instance})


@require_POST
def charter_publish(request: HttpRequest, charter_id: int) -> HttpResponse:
    draft = access_charter_for_edit(request.user, charter_id)
    try:
        services.charter_publish(actor=request.user, charter=draft)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(version)s is published: everyone will be asked to accept it.")
            % {"version": draft.version},
        )
    return redirect("governance:charter_versions")
