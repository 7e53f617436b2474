"""The publishing-rights map (administrators): who may publish where, from the live rules;
grant or withdraw the executive and community-manager roles from it. Making a member a manager
of one community is the communities app's own write (`communities:rights_manager_set`), which
the map's form posts to."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console import rights, services
from console.forms import RightsFilterForm, RoleChangeForm
from console.permissions import can_change_rights, can_view_rights_map
from core import content
from core.http import safe_next
from core.refusals import REFUSALS, answer_refusal
from core.types import AuthenticatedRequest
from governance.confirm import confirmation_page, is_confirmed
from people.models import User


def rights_map(request: AuthenticatedRequest) -> HttpResponse:
    """Who may publish where, generated from the live rules; filter by person, department,
    place."""
    if not can_view_rights_map(request.user):
        raise Http404
    form = RightsFilterForm(request.GET or None, places=rights.place_choices())
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    department = data.get("department")
    page = rights.rights_page(
        query=data.get("q", ""),
        department_id=department.pk if department else None,
        place=data.get("place", ""),
        page=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "communities": content.communities().visible_to(request.user),
        "query_string": query.urlencode(),
        "return_to": request.get_full_path(),
    }
    return render(request, "console/rights_map.html", context)


@require_POST
def rights_role(request: AuthenticatedRequest) -> HttpResponse:
    """Grant or withdraw an executive / community-manager role, from the map."""
    if not can_change_rights(request.user):
        raise Http404
    back = safe_next(request, default=reverse("governance:rights_map"))
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This change is not valid."))
        return HttpResponseRedirect(back)
    person = get_object_or_404(User, pk=form.cleaned_data["person"], is_active=True)
    role, granted = form.cleaned_data["role"], form.cleaned_data["granted"]
    if rights.needs_confirmation(person, role=role, granted=granted) and not is_confirmed(request):
        return _confirm_executive(request, person, back)
    try:
        services.role_set(actor=request.user, person=person, role=role, granted=granted)
    except REFUSALS as error:
        return answer_refusal(request, error, back=back)
    messages.success(request, _("Rights of %(name)s changed.") % {"name": person.name})
    return HttpResponseRedirect(back)


def _confirm_executive(request: AuthenticatedRequest, person: User, back: str) -> HttpResponse:
    return confirmation_page(
        request,
        title=_("Grant the executive role to %(name)s?") % {"name": person.name},
        consequences=rights.executive_consequences(person),
        confirm_label=_("Grant the executive role"),
        back=back,
        keep=("person", "role", "granted"),
    )
