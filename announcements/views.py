"""Announcement pages: the list, the form (to publish, or to change a scheduled one), one
announcement, its acknowledgement rates.
Parse, check, call, render; refusals through `core.refusals`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from announcements import permissions, selectors, services
from announcements.forms import AnnouncementForm
from core.http import safe_next
from core.refusals import Refusal, answer_refusal, form_refusal
from core.types import AuthenticatedRequest
from governance.gate import pending_form_data

REFUSED = (Refusal, ValidationError)


def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context = {
        "received": selectors.received_by(user),
        "written": selectors.written_by(user),
        "can_publish": permissions.can_publish_announcement(user),
    }
    return render(request, "announcements/index.html", context)


def create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_publish_announcement(request.user):
        raise PermissionDenied
    saved = pending_form_data(request, request.path) if request.method == "GET" else None
    form = AnnouncementForm(request.POST or saved, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_publish(
                author=request.user, **form.service_arguments()
            )
        except REFUSED as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            return redirect("announcements:rates", announcement_id=announcement.pk)
    return render(request, "announcements/form.html", {"form": form})


def edit(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = permissions.access_announcement(request.user, announcement_id)
    if not permissions.can_change_announcement(request.user, announcement):
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None, instance=announcement, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.announcement_update(
                actor=request.user, announcement=announcement, **form.service_arguments()
            )
        except REFUSED as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(request, _("The announcement has been changed."))
            return redirect("announcements:rates", announcement_id=announcement.pk)
    return render(request, "announcements/form.html", {"form": form, "editing": announcement})


@require_POST
def cancel(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = permissions.access_announcement(request.user, announcement_id)
    try:
        services.announcement_cancel(actor=request.user, announcement=announcement)
    except REFUSED as error:
        return answer_refusal(request, error, back=announcement.get_absolute_url())
    messages.success(request, _("The scheduled announcement has been cancelled."))
    return redirect("announcements:index")


def detail(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = permissions.access_announcement(request.user, announcement_id)
    context = {
        "announcement": announcement,
        "receipt": selectors.receipt_of(request.user, announcement),
        "can_follow": permissions.can_follow_announcement(request.user, announcement),
        "can_change": permissions.can_change_announcement(request.user, announcement),
    }
    return render(request, "announcements/detail.html", context)


@require_POST
def acknowledge(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = permissions.access_announcement(request.user, announcement_id)
    try:
        services.announcement_acknowledge(actor=request.user, announcement=announcement)
    except REFUSED as error:
        return answer_refusal(request, error, back=announcement.get_absolute_url())
    messages.success(request, _("Thank you: you have said you read it."))
    return redirect(safe_next(request, default=announcement.get_absolute_url()))


def rates(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = permissions.access_announcement(request.user, announcement_id)
    if not permissions.can_follow_announcement(request.user, announcement):
        raise PermissionDenied
    context = {
        "announcement": announcement,
        "rates": selectors.acknowledgement_rates(viewer=request.user, announcement=announcement),
        "can_remind": permissions.can_remind_announcement(
            request.user, announcement, now=timezone.now()
        ),
    }
    return render(request, "announcements/rates.html", context)


@require_POST
def remind(request: AuthenticatedRequest, announcement_id: int) -> HttpResponse:
    announcement = permissions.access_announcement(request.user, announcement_id)
    back = reverse("announcements:rates", kwargs={"announcement_id": announcement.pk})
    try:
        count = services.announcement_remind(actor=request.user, announcement=announcement)
    except REFUSED as error:
        return answer_refusal(request, error, back=back)
    messages.success(request, _("Reminder sent to %(count)d people.") % {"count": count})
    return redirect(back)
