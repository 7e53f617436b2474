"""Community pages: directory, community, members, threads. Parse, check, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activity.services import view_record
from communities import permissions, replies, selectors, services
from communities.forms import CommunityForm, DirectoryForm, InviteForm, ThreadEditForm, ThreadForm
from communities.live import community_group, thread_group, viewers_count
from communities.models import Membership, MembershipState, Role, ThreadKind
from interactions.selectors import comment_thread_context

try:  # the charter gate of governance (built alongside communities)
    from governance.exceptions import CharterNotAccepted
    from governance.gate import pending_form_data, redirect_to_charter
except ImportError:  # pragma: no cover - governance absent: nothing to gate

    class CharterNotAccepted(Exception):  # type: ignore[no-redef]
        pass

    redirect_to_charter = None  # type: ignore[assignment]

    def pending_form_data(request, return_url):  # type: ignore[no-redef]
        return None


COMMUNITIES_PER_PAGE = 20
THREADS_PER_PAGE = 30


def _refused(request: HttpRequest, error: services.CommunityError, to) -> HttpResponse:
    messages.error(request, error.message)
    return redirect(to)


def index(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    department = filters.get("department")
    communities = selectors.community_list(
        user=request.user,
        query=filters.get("q", ""),
        department_id=department.pk if department else None,
        activity=filters.get("activity", ""),
        mine=bool(filters.get("mine")),
    )
    page = Paginator(communities, COMMUNITIES_PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "communities/index.html",
        {
            "form": form,
            "page": page,
            "memberships": selectors.memberships_of(request.user),
            "query_string": query_string.urlencode(),
            "can_create": permissions.can_create_community(request.user),
            # Searching also finds threads, in the communities the person may read only.
            "matching_threads": selectors.threads_search(
                user=request.user, query=filters["q"], limit=10
            )
            if filters.get("q")
            else [],
        },
    )


def create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_community(request.user):
        raise PermissionDenied
    form = CommunityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        community = services.community_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            access=form.cleaned_data["access"],
            departments=form.cleaned_data["departments"],
            image=form.cleaned_data.get("image"),
        )
        messages.success(request, _("Community created. You are its manager."))
        return redirect(community)
    return render(request, "communities/community_form.html", {"form": form})


def _community_context(request: HttpRequest, slug: str) -> dict:
    community = permissions.access_community(request.user, slug)
    membership = permissions.membership_of(request.user, community)
    counts = community.memberships.aggregate(
        members=Count("pk", filter=Q(state=MembershipState.ACTIVE)),
        pending=Count("pk", filter=Q(state=MembershipState.REQUESTED)),
    )
    return {
        "community": community,
        "membership": membership,
        "member_count": counts["members"],
        "pending_count": counts["pending"],
        "can_read": permissions.can_read_community(request.user, community, membership),
        "can_manage": permissions.can_manage_community(request.user, community, membership),
        "can_join": permissions.can_join_community(request.user, community, membership),
        "can_request": permissions.can_request_community(request.user, community, membership),
        "can_leave": permissions.can_leave_community(request.user, community, membership),
    }


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = _community_context(request, slug)
    community, membership = context["community"], context["membership"]
    if context["can_read"]:
        threads = selectors.community_threads(
            community=community, user=request.user, can_moderate=context["can_manage"]
        )
        context["page"] = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
        context["viewers"] = viewers_count(community_group(community.pk))
        can_announce = permissions.can_start_thread(
            request.user, community, ThreadKind.ANNOUNCEMENT, membership
        )
        if permissions.can_start_thread(request.user, community, ThreadKind.DISCUSSION, membership):
            context["thread_form"] = ThreadForm(can_announce=can_announce)
        view_record(actor=request.user, obj=community, community_id=community.pk)
    context["managers"] = selectors.community_managers(community).select_related("department")
    context["departments"] = community.departments.all()
    return render(request, "communities/community.html", context)


def edit(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    if not permissions.can_manage_community(request.user, community):
        raise Http404
    form = CommunityForm(request.POST or None, request.FILES or None, instance=community)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.community_update(actor=request.user, community=community, data=data)
        messages.success(request, _("Community saved."))
        return redirect(community)
    if request.method == "POST":
        community.refresh_from_db()
    return render(
        request, "communities/community_form.html", {"form": form, "community": community}
    )


def members(request: HttpRequest, slug: str) -> HttpResponse:
    context = _community_context(request, slug)
    community = context["community"]
    if not context["can_read"]:
        raise Http404
    context["members"] = selectors.community_members(community)
    if context["can_manage"]:
        context["pending"] = selectors.community_pending(community)
        context["invite_form"] = InviteForm()
    return render(request, "communities/members.html", context)


@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
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
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    try:
        services.community_leave(actor=request.user, community=community)
    except services.CommunityError as error:
        return _refused(request, error, community)
    messages.success(request, _("You left %(name)s.") % {"name": community.name})
    if community.is_private and not request.user.is_superuser:
        return redirect("communities:index")
    return redirect(community)


@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    if not permissions.can_manage_community(request.user, community):
        raise Http404
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.community_invite(
                actor=request.user, community=community, user=form.cleaned_data["username"]
            )
        except services.CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Invitation sent."))
    else:
        messages.error(request, " ".join(form.errors.get("username", [])))
    return redirect("communities:members", slug=community.slug)


MEMBER_ACTIONS = {"approve", "decline", "remove", "promote", "demote"}


@require_POST
def member_action(request: HttpRequest, slug: str, membership_id: int, action: str) -> HttpResponse:
    community = permissions.access_community(request.user, slug)
    if action not in MEMBER_ACTIONS or not permissions.can_manage_community(
        request.user, community
    ):
        raise Http404
    membership = get_object_or_404(
        Membership.objects.select_related("user", "community"),
        pk=membership_id,
        community=community,
    )
    try:
        if action == "approve":
            services.membership_approve(actor=request.user, membership=membership)
        elif action == "decline":
            services.membership_decline(actor=request.user, membership=membership)
        elif action == "remove":
            services.member_remove(actor=request.user, membership=membership)
        else:
            role = Role.MANAGER if action == "promote" else Role.MEMBER
            services.member_set_role(actor=request.user, membership=membership, role=role)
    except services.CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("communities:members", slug=community.slug)


def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
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
        try:
            thread = services.thread_create(
                actor=request.user,
                community=community,
                **{k: form.cleaned_data[k] for k in ("kind", "title", "body")},
            )
        except CharterNotAccepted:
            return redirect_to_charter(request, return_url=request.path, form_data=request.POST)
        return redirect(thread)
    return render(request, "communities/thread_form.html", {"form": form, "community": community})


def thread(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = permissions.access_thread(request.user, thread_id, slug=slug)
    community = thread.community
    membership = permissions.membership_of(request.user, community)
    context = {
        "thread": thread,
        "community": community,
        "membership": membership,
        "can_edit": permissions.can_edit_thread(request.user, thread, membership),
        "can_delete": permissions.can_delete_thread(request.user, thread, membership),
        "can_moderate": permissions.can_moderate_thread(request.user, thread, membership),
        "can_accept": permissions.can_accept_answer(request.user, thread, membership),
        "reply_refusal": permissions.reply_refusal_reason(request.user, thread, membership),
        "viewers": viewers_count(thread_group(thread.pk)),
    }
    context.update(comment_thread_context(thread, request.user, request=request))
    conversation = context["thread"]
    conversation.comments = replies.accepted_first(conversation.comments, thread.accepted_reply_id)
    context["conversation"] = conversation
    context["thread"] = thread  # comment_thread_context names the conversation "thread" too
    context["accepted"] = next(
        (
            item
            for comment in conversation.comments[:1]
            for item in (comment, *comment.thread_replies)
            if getattr(item, "is_accepted", False)
        ),
        None,
    )
    view_record(
        actor=request.user, obj=thread, community_id=community.pk, target_user=thread.author
    )
    return render(request, "communities/thread.html", context)


def thread_edit(request: HttpRequest, slug: str, thread_id: int) -> HttpResponse:
    thread = permissions.access_thread(request.user, thread_id, slug=slug)
    if not permissions.can_edit_thread(request.user, thread):
        raise PermissionDenied
    form = ThreadEditForm(request.POST or None, instance=thread)
    if request.method == "POST" and form.is_valid():
        services.thread_edit(
            actor=request.user,
            thread=thread,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Thread saved."))
        return redirect(thread)
    if request.method == "POST":
        thread.refresh_from_db()
    return render(
        request,
        "communities/thread_form.html",
        {"form": form, "community": thread.community, "thread": thread},
    )


THREAD_ACTIONS = {"delete", "pin", "unpin", "lock", "unlock", "hide", "restore", "accept"}


@require_POST
def thread_action(request: HttpRequest, slug: str, thread_id: int, action: str) -> HttpResponse:
    if action not in THREAD_ACTIONS:
        raise Http404
    thread = permissions.access_thread(request.user, thread_id, slug=slug)
    user = request.user
    try:
        if action == "delete":
            services.thread_delete(actor=user, thread=thread)
            messages.success(request, _("Thread deleted."))
            return redirect(thread.community)
        if action in ("pin", "unpin"):
            services.thread_pin(actor=user, thread=thread, pinned=action == "pin")
        elif action in ("lock", "unlock"):
            services.thread_lock(actor=user, thread=thread, locked=action == "lock")
        elif action == "hide":
            services.thread_hide(actor=user, thread=thread)
        elif action == "restore":
            services.thread_restore(actor=user, thread=thread)
        else:
            raw = request.POST.get("reply", "")
            reply_id = int(raw) if raw.isdigit() else None
            services.thread_accept_answer(actor=user, thread=thread, reply_id=reply_id)
    except services.CommunityError as error:
        messages.error(request, error.message)
    return redirect(thread)
