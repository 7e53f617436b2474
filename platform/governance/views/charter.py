"""The usage charter: read and accept it (everyone), write and publish versions
(administrators). Views parse, check (governance.permissions), call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import safe_next
from core.refusals import REFUSALS, answer_refusal, form_refusal
from core.types import AuthenticatedRequest
from governance import selectors, services
from governance.confirm import confirmation_page, is_confirmed
from governance.forms import CharterAcceptForm, CharterForm
from governance.gate import has_pending_form
from governance.models import Charter
from governance.permissions import access_charter_for_edit, can_manage_charter


def index(request: AuthenticatedRequest) -> HttpResponse:
    """The governance sections this person may open."""
    return render(request, "governance/index.html", {"charter": selectors.current_charter()})


def _accept(
    request: AuthenticatedRequest, form: CharterAcceptForm, current: Charter
) -> HttpResponse | CharterAcceptForm:
    """Accept `current` from a valid form: the redirect back once accepted, else the form to
    show again (a fresh one when a newer version was published meanwhile, so that accepting
    then accepts the version shown)."""
    if form.cleaned_data["version"] != current.version:
        messages.error(request, _("A new version was published meanwhile: please read it."))
        return CharterAcceptForm(initial={"version": current.version})
    try:
        services.charter_accept(user=request.user, charter=current)
    except REFUSALS as error:
        return form_refusal(request, form, error) or form
    messages.success(request, _("Thank you: you accepted the charter."))
    return redirect(safe_next(request))


def charter(request: AuthenticatedRequest) -> HttpResponse:
    """The current charter; accept it here. `next` is where the gate brings the person back."""
    current = selectors.current_charter()
    initial = {"version": current.version if current else None}
    form = CharterAcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and current is not None and form.is_valid():
        answer = _accept(request, form, current)
        if isinstance(answer, HttpResponse):
            return answer
        form = answer
    return render(request, "governance/charter.html", _charter_context(request, current, form))


def _charter_context(
    request: AuthenticatedRequest, current: Charter | None, form: CharterAcceptForm
) -> dict[str, Any]:
    next_url = safe_next(request)
    return {
        "charter": current,
        "accepted": current is not None
        and selectors.charter_accepted(request.user, charter=current),
        "form": form,
        "next": next_url,
        "gated": request.GET.get("gate") == "1" or request.POST.get("gate") == "1",
        "kept_text": has_pending_form(request, next_url),
        "can_manage": can_manage_charter(request.user),
    }


def charter_versions(request: AuthenticatedRequest) -> HttpResponse:
    if not can_manage_charter(request.user):
        raise Http404
    return render(
        request,
        "governance/charter_versions.html",
        {"versions": selectors.charter_versions(), "current": selectors.current_charter()},
    )


def _charter_to_edit(
    request: AuthenticatedRequest, charter_id: int | None
) -> tuple[Charter | None, dict[str, Any]]:
    """The draft to change (and no initial data), or None and the latest version's text to
    start a new one from. 404 for non-administrators."""
    if charter_id is not None:
        return access_charter_for_edit(request.user, charter_id), {}
    if not can_manage_charter(request.user):
        raise Http404
    latest = selectors.charter_versions().first()
    return None, ({f: getattr(latest, f) for f in services.CHARTER_FIELDS} if latest else {})


def charter_edit(request: AuthenticatedRequest, charter_id: int | None = None) -> HttpResponse:
    """Write a new version (prefilled with the current text) or change a draft."""
    instance, initial = _charter_to_edit(request, charter_id)
    if instance is not None and instance.is_published:
        messages.info(request, _("A published version cannot be changed: write a new one."))
        return redirect("governance:charter_versions")
    form = CharterForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.CHARTER_FIELDS}
        try:
            saved = services.charter_draft_save(actor=request.user, data=data, charter=instance)
        except REFUSALS as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(
                request, _("Draft version %(version)s saved.") % {"version": saved.version}
            )
            return redirect("governance:charter_versions")
    return render(request, "governance/charter_edit.html", {"form": form, "charter": instance})


@require_POST
def charter_publish(request: AuthenticatedRequest, charter_id: int) -> HttpResponse:
    draft = access_charter_for_edit(request.user, charter_id)
    back = reverse("governance:charter_versions")
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("Publish version %(version)s of the charter?") % {"version": draft.version},
            consequences=selectors.charter_publish_consequences(draft),
            confirm_label=_("Publish: everyone accepts it again"),
            back=back,
        )
    try:
        services.charter_publish(actor=request.user, charter=draft)
    except REFUSALS as error:
        return answer_refusal(request, error, back=back)
    messages.success(
        request,
        _("Version %(version)s is published: everyone will be asked to accept it.")
        % {"version": draft.version},
    )
    return redirect(back)
