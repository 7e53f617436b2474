"""Community pages: directory, community, members, threads. Parse, check, call, render.

Refusals (`core.refusals`: a `Refusal` such as `services.CommunityError`, a `ValidationError`,
the charter gate's `CharterNotAccepted`) are answered by `answer_refusal` (buttons: message and
back) or `form_refusal` (forms: shown again with what was typed, or the charter first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activity.services import view_record
from communities import permissions, selectors, services
from communities.forms import (
    CommunityForm,
    CommunityRoleForm,
    DirectoryForm,
    InviteForm,
    ThreadEditForm,
    ThreadForm,
    ThreadHideForm,
)
from communities.live import community_group, page_state, thread_group
from communities.models import Community, Membership, Role, Thread, ThreadKind
from communities.pages import (
    BODY_SECONDS,
    COMMUNITY_PAGE_TEMPLATES,
    THREAD_PAGE_TEMPLATES,
    community_body,
    community_state,
    thread_body,
    thread_state,
)
from console.permissions import can_change_rights
from core.http import safe_next
from core.refusals import Refusal, answer_refusal, form_refusal
from core.rendering import reader_page
from core.types import AuthenticatedRequest
from governance.gate import pending_form_data
from governance.services import content_hide, content_restore
from interactions.selectors import DRAFTS_SESSION_KEY
from people.models import User

# What these views answer with a message (`core.refusals`), the charter gate included. A
# `PermissionDenied` raised by a service is left to Django: it answers 403, as these pages
# always did for someone who may not act here.
REFUSED = (Refusal, ValidationError)


def index(request: AuthenticatedRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = selectors.directory_context(
        user=request.user, filters=filters, page=request.GET.get("page")
    )
    context.update(form=form, query_string=query_string.urlencode())
    return render(request, "communities/index.html", context)


def create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_create_community(request.user):
        raise PermissionDenied
    form = CommunityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            community = services.community_create(
                actor=request.user,
                **{k: data[k] for k in ("name", "description", "access", "departments")},
                image=data.get("image"),
            )
        except REFUSED as error:
            return form_refusal(request, form, error) or _community_form(request, form)
        messages.success(request, _("Community created. You are its manager."))
        return redirect(community)
    return _community_form(request, form)


def _community_form(
    request: AuthenticatedRequest, form: CommunityForm, **extra: Any
) -> HttpResponse:
    return render(request, "communities/community_form.html", {"form": form, **extra})


def detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug, cached=True)
    can_read = permissions.can_read_community(request.user, community)
    # Read before the threads: the page is complete up to this live message number at least.
    live_seq, viewers = page_state(community_group(community.pk))
    viewers = viewers if can_read else 0
    if can_read:
        view_record(actor=request.user, obj=community, community_id=community.pk)

    def page() -> HttpResponse:
        body = community_body(request, community, live_seq=live_seq, viewers=viewers)
        context = {
            "community": community,
            "community_body": body,
            "can_read": can_read,
            "can_start": permissions.can_start_thread(
                request.user, community, ThreadKind.DISCUSSION
            ),
        }
        return render(request, "communities/community.html", context)

    state = community_state(request, community, live_seq=live_seq, viewers=viewers)
    return reader_page(request, COMMUNITY_PAGE_TEMPLATES, state, page, seconds=BODY_SECONDS)


def edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    if not permissions.can_manage_community(request.user, community):
        raise Http404
    form = CommunityForm(request.POST or None, request.FILES or None, instance=community)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.community_update(actor=request.user, community=community, data=data)
        except REFUSED as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(request, _("Community saved."))
            return redirect(community)
    if request.method == "POST":
        community.refresh_from_db()
    return _community_form(request, form, community=community)


def members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    return _members_page(request, community, invite_form=InviteForm())


def _members_page(
    request: AuthenticatedRequest, community: Community, *, invite_form: InviteForm
) -> HttpResponse:
    """The members page; a refused invitation is shown again in its form, name kept."""
    context = selectors.community_context(user=request.user, community=community)
    if not context["can_read"]:
        raise Http404
    context["members"] = selectors.community_members(community)
    if context["can_manage"]:
        context["pending"] = selectors.community_pending(community)
        context["invite_form"] = invite_form
    return render(request, "communities/members.html", context)


@require_POST
def join(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    if permissions.can_join_community(request.user, community):
        services.community_join(actor=request.user, community=community)
        messages.success(request, _("Welcome to %(name)s.") % {"name": community.name})
    elif permissions.can_request_community(request.user, community):
        services.community_request(actor=request.user, community=community)
        messages.success(request, _("Your request was sent to the managers."))
    else:
        raise PermissionDenied
    return redirect(community)


@require_POST
def leave(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    try:
        services.community_leave(actor=request.user, community=community)
    except REFUSED as error:
        return answer_refusal(request, error, back=community.get_absolute_url())
    messages.success(request, _("You left %(name)s.") % {"name": community.name})
    if community.is_private and not request.user.is_superuser:
        return redirect("communities:index")
    return redirect(community)


@require_POST
def invite(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    if not permissions.can_manage_community(request.user, community):
        raise Http404
    back = reverse("communities:members", kwargs={"slug": community.slug})
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _members_page(request, community, invite_form=form)
    try:
        services.community_invite(
            actor=request.user, community=community, user=form.cleaned_data["username"]
        )
    except REFUSED as error:
        return answer_refusal(request, error, back=back)
    messages.success(request, _("Invitation sent."))
    return redirect(back)


MemberAction = Callable[[User, Membership], Any]
MEMBER_ACTIONS: dict[str, MemberAction] = {
    "approve": lambda actor, m: services.membership_approve(actor=actor, membership=m),
    "decline": lambda actor, m: services.membership_decline(actor=actor, membership=m),
    "remove": lambda actor, m: services.member_remove(actor=actor, membership=m),
    "promote": lambda actor, m: services.member_set_role(
        actor=actor, membership=m, role=Role.MANAGER
    ),
    "demote": lambda actor, m: services.member_set_role(
        actor=actor, membership=m, role=Role.MEMBER
    ),
}


@require_POST
def member_action(
    request: AuthenticatedRequest, slug: str, membership_id: int, action: str
) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    act = MEMBER_ACTIONS.get(action)
    if act is None or not permissions.can_manage_community(request.user, community):
        raise Http404
    membership = get_object_or_404(
        Membership.objects.select_related("user", "community"),
        pk=membership_id,
        community=community,
    )
    back = reverse("communities:members", kwargs={"slug": community.slug})
    try:
        act(request.user, membership)
    except REFUSED as error:
        return answer_refusal(request, error, back=back)
    messages.success(request, _("Done."))
    return redirect(back)


def thread_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    membership = permissions.membership_of(request.user, community)
    if not permissions.can_start_thread(request.user, community, ThreadKind.DISCUSSION, membership):
        raise PermissionDenied
    can_announce = permissions.can_start_thread(
        request.user, community, ThreadKind.ANNOUNCEMENT, membership
    )
    saved = pending_form_data(request, request.path) if request.method == "GET" else None
    form = ThreadForm(request.POST or saved, can_announce=can_announce)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ("kind", "title", "body")}
        try:
            thread = services.thread_create(actor=request.user, community=community, **fields)
        except REFUSED as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            return redirect(thread)
    return render(request, "communities/thread_form.html", {"form": form, "community": community})


def thread(request: AuthenticatedRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = permissions.access_thread(request.user, thread_id, slug=slug, cached=True)
    # Read before the replies: the page is complete up to this live message number at least.
    live_seq, viewers = page_state(thread_group(thread.pk))
    view_record(
        actor=request.user, obj=thread, community_id=thread.community_id, target_user=thread.author
    )

    def page() -> HttpResponse:
        body = thread_body(request, thread, live_seq=live_seq, viewers=viewers)
        context = {"thread": thread, "community": thread.community, "thread_body": body}
        return render(request, "communities/thread.html", context)

    if request.session.get(DRAFTS_SESSION_KEY):  # the text of a refused reply comes back
        return page()
    state = thread_state(request, thread, live_seq=live_seq, viewers=viewers)
    return reader_page(request, THREAD_PAGE_TEMPLATES, state, page, seconds=BODY_SECONDS)


def thread_edit(request: AuthenticatedRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = permissions.access_thread(request.user, thread_id, slug=slug)
    if not permissions.can_edit_thread(request.user, thread):
        raise PermissionDenied
    form = ThreadEditForm(request.POST or None, instance=thread)
    if request.method == "POST" and form.is_valid():
        title, body = form.cleaned_data["title"], form.cleaned_data["body"]
        try:
            services.thread_edit(actor=request.user, thread=thread, title=title, body=body)
        except REFUSED as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(request, _("Thread saved."))
            return redirect(thread)
    if request.method == "POST":
        thread.refresh_from_db()
    context = {"form": form, "community": thread.community, "thread": thread}
    return render(request, "communities/thread_form.html", context)


def thread_hide(request: AuthenticatedRequest, slug: str, thread_id: int) -> HttpResponse:
    """Moderation: hide the thread with a reason its author reads (governance's one path:
    permission, audit, notification of the author, live update). The reason typed comes back
    with the error when it is refused."""
    thread = permissions.access_thread(request.user, thread_id, slug=slug)
    if not permissions.can_moderate_thread(request.user, thread):
        raise PermissionDenied
    form = ThreadHideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            content_hide(actor=request.user, obj=thread, reason=form.cleaned_data["reason"])
        except REFUSED as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(request, _("Thread hidden. Its author was told why."))
            return redirect(thread)
    context = {"form": form, "thread": thread, "community": thread.community}
    return render(request, "communities/thread_hide.html", context)


ThreadAction = Callable[[User, Thread, AuthenticatedRequest], Any]


def _accepted_reply(request: AuthenticatedRequest) -> int | None:
    raw = request.POST.get("reply", "")
    return int(raw) if raw.isdigit() else None


THREAD_ACTIONS: dict[str, ThreadAction] = {
    "pin": lambda user, t, r: services.thread_pin(actor=user, thread=t, pinned=True),
    "unpin": lambda user, t, r: services.thread_pin(actor=user, thread=t, pinned=False),
    "lock": lambda user, t, r: services.thread_lock(actor=user, thread=t, locked=True),
    "unlock": lambda user, t, r: services.thread_lock(actor=user, thread=t, locked=False),
    "restore": lambda user, t, r: content_restore(actor=user, obj=t),
    "accept": lambda user, t, r: services.thread_accept_answer(
        actor=user, thread=t, reply_id=_accepted_reply(r)
    ),
}


@require_POST
def thread_action(
    request: AuthenticatedRequest, slug: str, thread_id: int, action: str
) -> HttpResponse:
    act = THREAD_ACTIONS.get(action)
    if act is None and action != "delete":
        raise Http404
    thread = permissions.access_thread(request.user, thread_id, slug=slug)
    try:
        if act is None:
            services.thread_delete(actor=request.user, thread=thread)
        else:
            act(request.user, thread, request)
    except REFUSED as error:
        return answer_refusal(request, error, back=thread.get_absolute_url())
    if act is None:
        messages.success(request, _("Thread deleted."))
        return redirect(thread.community)
    return redirect(thread)


@require_POST
def rights_manager_set(request: AuthenticatedRequest) -> HttpResponse:
    """The publishing-rights map (governance) makes someone manager of a community, or a
    member again: administrators only; back to the map as it was filtered."""
    if not can_change_rights(request.user):
        raise Http404
    back = safe_next(request, default=reverse("governance:rights_map"))
    form = CommunityRoleForm(request.POST)
    if not form.is_valid():
        # A person typed by name that matches nobody or several people says so.
        person_errors = form.errors.get("person")
        messages.error(
            request, person_errors[0] if person_errors else _("This change is not valid.")
        )
        return redirect(back)
    person, community = form.cleaned_data["person"], form.cleaned_data["community"]
    try:
        services.community_role_set(
            actor=request.user,
            person=person,
            community_id=community.pk,
            role=form.cleaned_data["role"],
        )
    except REFUSED as error:
        return answer_refusal(request, error, back=back)
    messages.success(request, _("Rights of %(name)s changed.") % {"name": person.name})
    return redirect(back)
