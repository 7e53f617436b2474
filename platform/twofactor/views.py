"""Two-factor pages: your security page, set-up, the code after the password, recovery codes,
and an administrator's reset of someone's second factor. Short views: parse, check, call the
service, render; refusals go on the form (core.refusals)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from core.http import safe_next
from core.refusals import REFUSALS, answer_refusal, form_refusal, refusal_status
from core.types import AuthenticatedRequest
from people.auth import two_factor_exempt
from twofactor import demo, permissions, selectors, services
from twofactor.forms import CodeForm
from twofactor.qr import enrolment_qr_svg, manual_secret

# The recovery codes wait in the session between the write and the one page that shows them.
RECOVERY_CODES_SESSION_KEY = "twofactor_recovery_codes"


def _show_recovery_codes(request: AuthenticatedRequest, codes: list[str]) -> HttpResponse:
    request.session[RECOVERY_CODES_SESSION_KEY] = codes
    return redirect("twofactor:recovery_codes")


def security(request: AuthenticatedRequest) -> HttpResponse:
    status = selectors.two_factor_status(request.user)
    return render(
        request,
        "twofactor/security.html",
        {"status": status, "remove_form": CodeForm(auto_id="remove_%s")},
    )


@two_factor_exempt
def setup(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the pending authenticator's QR code and the form for its first code (or the button
    that starts a set-up). POST: confirm with that code."""
    if selectors.has_two_factor(request.user):
        return redirect("twofactor:security")
    device = selectors.pending_authenticator(request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            enrolment = services.authenticator_enrol_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except REFUSALS as error:
            status = refusal_status(error)
            form_refusal(request, form, error)
        else:
            otp_login(request, enrolment.device)
            return _show_recovery_codes(request, enrolment.recovery_codes)
    context = {"device": device, "form": form, "next": safe_next(request, "")}
    if device is not None:
        context.update(qr_svg=enrolment_qr_svg(device), secret=manual_secret(device))
    return render(request, "twofactor/setup.html", context, status=status)


@two_factor_exempt
@require_POST
def setup_start(request: AuthenticatedRequest) -> HttpResponse:
    try:
        services.authenticator_enrol_start(user=request.user)
    except REFUSALS as error:
        return answer_refusal(request, error, back=reverse("twofactor:security"))
    return redirect("twofactor:setup")


@two_factor_exempt
def verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second step after the password."""
    user = request.user
    if user.is_verified() or not selectors.has_two_factor(user):  # type: ignore[attr-defined]
        return redirect(safe_next(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except REFUSALS as error:
            status = refusal_status(error)
            form_refusal(request, form, error)
        else:
            request.session.cycle_key()  # a new session id for the now-verified session
            otp_login(request, device)
            return redirect(safe_next(request))
    context = {"form": form, "next": safe_next(request, ""), "demo_code": demo.demo_code(user)}
    return render(request, "twofactor/verify.html", context, status=status)


def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    """The recovery codes just made, once: a reload shows them no more."""
    if request.method == "POST":
        try:
            codes = services.recovery_codes_regenerate(user=request.user)
        except REFUSALS as error:
            return answer_refusal(request, error, back=reverse("twofactor:security"))
        return _show_recovery_codes(request, codes)
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("twofactor:security")
    return render(request, "twofactor/recovery_codes.html", {"codes": codes})


@require_POST
def remove(request: AuthenticatedRequest) -> HttpResponse:
    form = CodeForm(request.POST, auto_id="remove_%s")
    if form.is_valid():
        try:
            services.two_factor_remove(user=request.user, code=form.cleaned_data["code"])
        except REFUSALS as error:
            form_refusal(request, form, error)
        else:
            messages.success(request, _("Two-factor authentication is removed."))
            return redirect("twofactor:security")
    status = selectors.two_factor_status(request.user)
    context = {"status": status, "remove_form": form}
    return render(request, "twofactor/security.html", context, status=400)


def person(request: AuthenticatedRequest, username: str) -> HttpResponse:
    """An administrator's view of someone's second factor, with the reset button."""
    target = permissions.access_person_for_reset(request.user, username)
    if request.method == "POST":
        try:
            services.two_factor_reset(actor=request.user, person=target)
        except REFUSALS as error:
            return answer_refusal(request, error, back=request.path)
        messages.success(
            request, _("Two-factor authentication of %(name)s is reset.") % {"name": target}
        )
        return redirect("twofactor:person", username=target.username)
    context = {
        "person": target,
        "status": selectors.two_factor_status(target),
        "can_reset": permissions.can_reset_two_factor(request.user, target),
    }
    return render(request, "twofactor/person.html", context)
