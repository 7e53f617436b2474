"""Notification pages: the centre, settings, and the one-click unsubscribe from e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.http import is_safe_url
from core.types import AuthenticatedRequest
from notifications import selectors, services
from notifications.emails import content_digest_context
from notifications.forms import PreferenceForm
from notifications.models import Kind
from notifications.permissions import access_notification
from notifications.tokens import Scope, unsubscribe_read
from people.models import User

GROUPS_PER_PAGE = 20


def centre(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.centre_groups(request.user, unread_only=unread_only), GROUPS_PER_PAGE
    ).get_page(request.GET.get("page"))
    groups, hidden = selectors.centre_page(request.user, page.object_list)
    if hidden:
        # The person can no longer see these targets: keep the badge honest about it.
        services.notifications_mark_groups_read(actor=request.user, group_keys=hidden)
    return render(
        request,
        "notifications/centre.html",
        {"page": page, "groups": groups, "unread_only": unread_only},
    )


def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification: its group counts as read, then go where it points."""
    notification = access_notification(request.user, notification_id)
    services.notifications_mark_read(actor=request.user, notification=notification)
    if is_safe_url(request, notification.url):
        return redirect(notification.url)
    return redirect("notifications:centre")


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    if request.POST.get("all"):
        services.notifications_mark_read(actor=request.user, everything=True)
        messages.success(request, _("All notifications marked as read."))
    else:
        try:
            notification_id = int(request.POST.get("notification", ""))
        except ValueError:
            messages.error(request, _("Which notification? Nothing was changed."))
            return redirect("notifications:centre")
        notification = access_notification(request.user, notification_id)
        services.notifications_mark_read(actor=request.user, notification=notification)
    # Back to the page the person was on, with the same filter.
    query = {}
    if request.POST.get("unread") == "1":
        query["unread"] = "1"
    if request.POST.get("page", "").isdigit():
        query["page"] = request.POST["page"]
    target = redirect("notifications:centre")
    if query:
        target["Location"] += "?" + urlencode(query)
    return target


def preferences(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_for(request.user)
    form = PreferenceForm(request.POST or None, initial=PreferenceForm.initial_from(preference))
    if request.method == "POST":
        if form.is_valid():
            services.preference_update(actor=request.user, **form.changes())
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
        messages.error(request, _("The settings were not saved: please correct the errors below."))
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "mutes": selectors.mutes_of(request.user)},
    )


def content_digest_preview(request: AuthenticatedRequest) -> HttpResponse:
    """This week's content digest of the signed-in person, as the e-mail would show it (its
    own: no one else's digest can be asked for), whether or not they receive it."""
    digest = selectors.content_digest_for(request.user, now=timezone.now())
    return render(
        request,
        "notifications/content_digest_preview.html",
        {
            **content_digest_context(request.user, digest),
            "receives": services.wants_content_digest(request.user),
        },
    )


@require_POST
def unmute(request: HttpRequest, mute_id: int) -> HttpResponse:
    if services.mute_delete(actor=request.user, mute_id=mute_id):
        messages.success(request, _("You will receive e-mail about this conversation again."))
    return redirect("notifications:settings")


def _describe(unsubscribe, user: User) -> str:
    if unsubscribe.scope == Scope.TARGET:
        try:
            content_type_id, object_id = services.parse_target(unsubscribe.value)
        except ValueError:
            return ""
        title = services.target_title(
            user=user, content_type_id=content_type_id, object_id=object_id
        )
        return _("e-mail about the conversation “%(title)s”") % {"title": title or "…"}
    if unsubscribe.scope == Scope.KIND:
        try:
            return _("e-mail about: %(kind)s") % {"kind": Kind(unsubscribe.value).label}
        except ValueError:
            return ""
    if unsubscribe.scope == Scope.DIGEST:
        return _("the digest of unread notifications")
    if unsubscribe.scope == Scope.CONTENT_DIGEST:
        return _("the weekly digest of new content")
    return _("every e-mail from Ruche")


# Mail clients follow this link, or POST to it for RFC 8058 one-click unsubscribe, without a
# session nor a CSRF token: the signed token is the only authority, and it can only ever
# *reduce* the e-mail its own owner receives.
@login_not_required
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = unsubscribe_read(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user = User.objects.filter(pk=data.user_id, is_active=True).first()
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.user.is_authenticated and request.user.pk != user.pk:
        return render(request, "notifications/unsubscribe_wrong_user.html", status=403)
    # Answer in the language the e-mail was written in: the reader may have no session.
    with translation.override(user.preferred_language or request.LANGUAGE_CODE):
        what = _describe(data, user)
        if not what:
            return render(request, "notifications/unsubscribe_invalid.html", status=400)
        if request.method == "POST":
            services.unsubscribe_apply(actor=user, scope=data.scope, value=data.value)
            template = "notifications/unsubscribe_done.html"
        else:
            template = "notifications/unsubscribe_confirm.html"
        response = render(request, template, {"what": what})
        response["Content-Language"] = translation.get_language()
        return response
