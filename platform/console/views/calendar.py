"""The editorial calendar: month and week pages, the subscription page and the .ics feed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from console import editorial_calendar, selectors, services
from console.forms import CalendarFilterForm
from console.models import CalendarToken
from console.permissions import can_view_calendar
from core.types import AuthenticatedRequest


def _filters(request: AuthenticatedRequest) -> dict[str, Any]:
    """The filter form and what it asks (place, author); a bad filter shows on the form and
    filters nothing."""
    places = editorial_calendar.calendar_places(request.user)
    form = CalendarFilterForm(request.GET or None, places=places)
    place, author = "", None
    if form.is_bound and form.is_valid():
        place, author = form.cleaned_data["place"], form.cleaned_data["author"]
    query = request.GET.copy()
    for key in ("month", "week"):
        query.pop(key, None)
    return {
        "form": form,
        "place": place,
        "author_id": author.pk if author else None,
        "filters": query.urlencode(),
    }


def calendar_month(request: AuthenticatedRequest) -> HttpResponse:
    if not can_view_calendar(request.user):
        raise Http404
    filters = _filters(request)
    first = selectors.calendar_month_of(request.GET.get("month"))
    context = selectors.calendar_month(
        request.user, first=first, place=filters["place"], author_id=filters["author_id"]
    )
    return render(request, "console/calendar_month.html", {**filters, **context})


def calendar_week(request: AuthenticatedRequest) -> HttpResponse:
    if not can_view_calendar(request.user):
        raise Http404
    filters = _filters(request)
    monday = selectors.calendar_monday_of(request.GET.get("week"))
    context = selectors.calendar_week(
        request.user, monday=monday, place=filters["place"], author_id=filters["author_id"]
    )
    return render(request, "console/calendar_week.html", {**filters, **context})


@never_cache
def calendar_subscribe(request: AuthenticatedRequest) -> HttpResponse:
    """The person's private .ics address, shown once: in the answer that creates it (Ruche
    keeps only a digest of its secret); afterwards, a button to create a new one."""
    token = services.calendar_token_for(user=request.user)
    context: dict[str, Any] = {"token": token}
    if request.method == "POST":
        token, secret = services.calendar_token_regenerate(user=request.user)
        feed_path = reverse("governance:calendar_feed", kwargs={"token": secret})
        context.update(
            token=token,
            replaced=context["token"] is not None,
            feed_url=request.build_absolute_uri(feed_path),
        )
    return render(request, "console/calendar_subscribe.html", context)


@login_not_required
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed. No session: calendar applications send only the URL, so the secret
    token in it authenticates, and the feed holds only what its owner may see."""
    owner = CalendarToken.owner_of(token)
    if owner is None or not can_view_calendar(owner):
        raise Http404
    body = editorial_calendar.ics_feed(owner, site_url=settings.SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ruche.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
