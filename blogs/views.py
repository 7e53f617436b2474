"""Blog views that are not Wagtail pages: write, search, my posts, delegates, feeds, follow.

Views are short: parse, check (blogs.permissions), call (blogs.services), render. A refused
write is answered by core.refusals (a message and back to the page, or JSON for scripts).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.views import serve as wagtail_serve

from blogs import selectors, services
from blogs.composer import COMPOSER_RENDITION, image_reference
from blogs.forms import AnswerForm, ComposerForm, DelegateForm, composer_form_for
from blogs.models import BlogPage, Delegation, FeedToken, PostPage
from blogs.permissions import (
    can_answer_in_cockpit,
    can_edit_post,
    can_manage_delegates,
    can_open_cockpit,
    can_write_on_blog,
    delegated_executive_ids,
)
from core.http import id_or_404, safe_next, wants_json
from core.refusals import REFUSALS, answer_refusal, form_refusal
from core.types import AuthenticatedRequest
from governance.gate import pending_form_data
from interactions import services as interactions_services
from interactions.permissions import access_comment
from people.models import User


def blog_index(request: AuthenticatedRequest) -> HttpResponse:
    """/blogs/ is the BlogIndexPage: let Wagtail serve it (this view only gives it a URL name)."""
    return wagtail_serve(request, "blogs/")


def write(request: AuthenticatedRequest) -> HttpResponse:
    """ "Write a post": one click to Wagtail's editor for a new post on your own blog.

    `?for=<username>` opens the blog of an executive who named you their delegate.
    """
    person = request.user
    username = request.GET.get("for")
    if username and username != request.user.username:
        person = get_object_or_404(User, username=username, is_active=True)
    try:
        blog = services.blog_ensure(actor=request.user, person=person)
    except PermissionDenied as exc:  # someone else's blog does not exist for you
        raise Http404 from exc
    if not can_write_on_blog(request.user, blog):
        raise Http404
    return redirect("wagtailadmin_pages:add", "blogs", "postpage", blog.pk)


def search(request: AuthenticatedRequest) -> HttpResponse:
    """The blogs' search is global search narrowed to posts (one search, one set of rules)."""
    query = QueryDict(mutable=True)
    query.update({"q": request.GET.get("q", "")[:200], "kind": "post"})
    return redirect(f"{reverse('search:search')}?{query.urlencode()}")


def my_posts(request: AuthenticatedRequest) -> HttpResponse:
    """Your posts with how many read them, who commented and which questions await you."""
    executives = User.objects.filter(pk__in=delegated_executive_ids(request.user)).order_by(
        "last_name"
    )
    return render(
        request,
        "blogs/my_posts.html",
        {
            "rows": selectors.leader_posts_with_stats(user=request.user),
            "blog": BlogPage.objects.filter(person=request.user).first(),
            "delegated_for": executives,
        },
    )


@require_http_methods(["GET", "POST"])
def delegates(request: AuthenticatedRequest) -> HttpResponse:
    """An executive names or removes the people who may prepare drafts on their blog."""
    if not can_manage_delegates(request.user, request.user):
        raise Http404
    if request.method == "POST" and "remove" in request.POST:
        return _delegate_remove(request)
    form = DelegateForm(request.POST or None, executive=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegation_grant(
                actor=request.user, executive=request.user, delegate=form.cleaned_data["user"]
            )
        except REFUSALS as error:
            if (own := form_refusal(request, form, error)) is not None:
                return own
        else:
            messages.success(request, _("Your delegate may now prepare drafts on your blog."))
            return redirect("blogs:delegates")
    current = Delegation.objects.filter(executive=request.user).select_related("delegate")
    return render(request, "blogs/delegates.html", {"form": form, "delegations": current})


def _delegate_remove(request: AuthenticatedRequest) -> HttpResponse:
    delegate = get_object_or_404(User, pk=id_or_404(request.POST.get("remove")))
    try:
        services.delegation_revoke(actor=request.user, executive=request.user, delegate=delegate)
    except REFUSALS as error:
        return answer_refusal(request, error, back=reverse("blogs:delegates"))
    messages.success(
        request, _("%(name)s no longer prepares your drafts.") % {"name": delegate.name}
    )
    return redirect("blogs:delegates")


@never_cache
@require_http_methods(["GET", "POST"])
def feed_settings(request: AuthenticatedRequest) -> HttpResponse:
    """Your private feed addresses. Ruche keeps only a digest of their secret, so they are
    shown once, in the answer that creates them (never cached); afterwards the page explains
    that new addresses must be created to see them again."""
    blog = BlogPage.objects.filter(person=request.user).first()
    token = services.feed_token_of(user=request.user)
    context: dict[str, Any] = {"token": token, "has_blog": blog is not None}
    if request.method == "POST":
        token, secret = services.feed_token_regenerate(user=request.user)
        context.update(
            token=token,
            replaced=context["token"] is not None,
            all_url=request.build_absolute_uri(FeedToken.feed_url(secret)),
            own_url=request.build_absolute_uri(FeedToken.feed_url(secret, blog)) if blog else "",
        )
    return render(request, "blogs/feed_settings.html", context)


@require_POST
def follow_person(request: AuthenticatedRequest, username: str) -> HttpResponse:
    person = get_object_or_404(User, username=username, is_active=True)
    back = safe_next(request, person.get_absolute_url())
    try:
        if request.POST.get("action") == "unfollow":
            services.follow_delete(actor=request.user, person=person)
            message = _("You no longer follow %(name)s.")
        else:
            services.follow_create(actor=request.user, person=person)
            message = _("You now follow %(name)s.")
    except REFUSALS as error:
        return answer_refusal(request, error, back=back)
    messages.success(request, message % {"name": person.name})
    return redirect(back)


@require_POST
def follow_blog(request: AuthenticatedRequest, blog_id: int) -> HttpResponse:
    blog = get_object_or_404(BlogPage.objects.live().select_related("person"), pk=blog_id)
    back = safe_next(request, blog.url or reverse("blogs:index"))
    try:
        if request.POST.get("action") == "unfollow":
            services.follow_delete(actor=request.user, blog=blog)
        else:
            services.follow_create(actor=request.user, blog=blog)
    except REFUSALS as error:
        return answer_refusal(request, error, back=back)
    return redirect(back)


# --- The composer ------------------------------------------------------------------------------
COMPOSE_DONE = {
    "publish": _lazy("Your post is published."),
    "schedule": _lazy("Your post is scheduled: it will be published on %(when)s."),
    "draft": _lazy("Your draft is saved."),
    "full": _lazy("Your draft is saved: finish it in the full editor."),
}


@never_cache
@require_http_methods(["GET", "POST"])
def compose(request: AuthenticatedRequest) -> HttpResponse:
    """The composer: write a post without leaving Ruche (the home page, one's blog and the
    Leadership space show the same form). Preview renders the post here; the other actions
    write through blogs.services.post_create, once per idempotency key."""
    if request.method == "GET":
        kept = pending_form_data(request, request.get_full_path())  # back from the charter
        form = composer_form_for(request.user, kept)
        if username := request.GET.get("for"):
            chosen = next((p for p in form.people.values() if p.username == username), None)
            form.initial["person"] = chosen.pk if chosen else request.user.pk
        return render(request, "blogs/compose.html", {"form": form})
    form = composer_form_for(request.user, request.POST)
    if not form.is_valid():
        return _compose_refused(request, form)
    action = form.cleaned_data["action"]
    if action == "preview":
        preview = PostPage(
            title=form.cleaned_data["title"],
            body=json.dumps(services.post_body_stream(form.cleaned_data["blocks"])),
        )
        return render(request, "blogs/compose.html", {"form": form, "preview": preview})
    try:
        post = services.post_create(
            actor=request.user,
            for_person=form.chosen_person,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["blocks"],
            tags=form.cleaned_data["tags"],
            publish=action == "publish",
            go_live_at=form.cleaned_data["go_live_at"] if action == "schedule" else None,
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except REFUSALS as error:
        if (own := form_refusal(request, form, error)) is not None:
            return own
        return _compose_refused(request, form)
    return _composed(request, post, action)


def _compose_refused(request: AuthenticatedRequest, form: ComposerForm) -> HttpResponse:
    """The form again, with what was typed and why it was refused (JSON for composer.js)."""
    if wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "errors": [str(e) for e in form.non_field_errors()],
                "fields": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
            },
            status=400,
        )
    return render(request, "blogs/compose.html", {"form": form}, status=400)


def _composed(request: AuthenticatedRequest, post: PostPage, action: str) -> HttpResponse:
    """Where the writer lands: on the post once it is published, in the full editor when they
    asked for it, else on their posts (a draft, a scheduled post)."""
    if post.live:
        target = post.get_url(request) or post.url_path
        message = COMPOSE_DONE["publish"]
    elif action == "full":
        target = reverse("wagtailadmin_pages:edit", args=[post.pk])
        message = COMPOSE_DONE["full"]
    elif post.go_live_at is not None:
        target = reverse("blogs:mine")
        when = formats.date_format(timezone.localtime(post.go_live_at), "DATETIME_FORMAT")
        message = COMPOSE_DONE["schedule"] % {"when": when}
    elif post.prepared_by_id == request.user.pk and post.author is not None:
        # A delegate's draft: to the executive's cockpit, where it is marked ready for review.
        target = f"{cockpit_url(post.author, request.user)}#draft-{post.pk}"
        message = COMPOSE_DONE["draft"]
    else:
        target = reverse("blogs:mine")
        message = COMPOSE_DONE["draft"]
    messages.success(request, message)
    if wants_json(request):
        return JsonResponse({"ok": True, "redirect": target, "post": post.pk})
    return redirect(target)


@require_POST
def compose_image(request: AuthenticatedRequest) -> HttpResponse:
    """An image for the composer (uploaded, pasted or dropped): JSON with the address of its
    rendition, or the reason it was refused."""
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse(
            {"ok": False, "errors": [_("Choose an image to add.")]},
            status=400,
        )
    try:
        image = services.post_image_upload(
            actor=request.user, upload=upload, title=request.POST.get("title", "")
        )
    except REFUSALS as error:
        return answer_refusal(request, error)
    rendition = image.get_rendition(COMPOSER_RENDITION)
    return JsonResponse(
        {
            "ok": True,
            "id": image.pk,
            "url": image_reference(image.pk, rendition.url),
            "alt": image.title,
        }
    )


# --- The executive's cockpit ---------------------------------------------------------------------
def cockpit_url(executive: User, viewer: User) -> str:
    if executive.pk == viewer.pk:
        return reverse("leadership:cockpit")
    return reverse("leadership:cockpit_for", args=[executive.username])


def cockpit(request: AuthenticatedRequest) -> HttpResponse:
    """/leadership/me/: the executive's cockpit. A delegate is taken to the cockpit of the
    (first) executive they prepare drafts for; anyone else finds nothing here."""
    if can_open_cockpit(request.user, request.user):
        return _cockpit_page(request, request.user)
    executive = (
        User.objects.filter(pk__in=delegated_executive_ids(request.user), is_active=True)
        .order_by("last_name", "first_name")
        .first()
    )
    if executive is None:
        raise Http404
    return redirect(cockpit_url(executive, request.user))


def cockpit_for(request: AuthenticatedRequest, username: str) -> HttpResponse:
    """An executive's cockpit, read-only, for the people they named as delegates."""
    executive = get_object_or_404(User, username=username, is_active=True)
    if executive.pk == request.user.pk:
        return redirect("leadership:cockpit")
    if not can_open_cockpit(request.user, executive):
        raise Http404
    return _cockpit_page(request, executive)


def _cockpit_page(
    request: AuthenticatedRequest,
    executive: User,
    answer: tuple[int, AnswerForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = selectors.cockpit_context(viewer=request.user, executive=executive)
    context["answer_to"], context["answer_form"] = answer or (None, AnswerForm())
    return render(request, "blogs/cockpit.html", context, status=status)


@require_POST
def cockpit_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The reply box under a question: the executive answers through
    interactions.services.comment_create, and comes back to the cockpit with the answer shown
    (or the box again, with the text and why it was refused). Only the post's author answers
    here: a delegate never speaks in the executive's name."""
    question, target = access_comment(request.user, pk)
    if not isinstance(target, PostPage) or not can_answer_in_cockpit(request.user, target.author):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        reply = interactions_services.comment_create(
            author=request.user, target=target, body=form.cleaned_data["body"], parent=question
        )
    except REFUSALS as error:
        if isinstance(error, PermissionDenied):
            raise
        if (own := form_refusal(request, form, error)) is not None:
            return own
        return _cockpit_page(request, request.user, answer=(question.pk, form), status=400)
    messages.success(request, _("Your answer is published."))
    return redirect(f"{reverse('leadership:cockpit')}#{reply.anchor}")


@require_POST
def draft_ready(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """ "Mark ready for review": the delegate who prepared a draft hands it to the executive."""
    post = get_object_or_404(PostPage.objects.select_related("author"), pk=pk)
    if post.author is None or not can_edit_post(request.user, post):
        raise Http404  # a draft you may not write does not exist for you
    back = cockpit_url(post.author, request.user)
    try:
        services.draft_mark_ready(actor=request.user, post=post)
    except REFUSALS as error:
        if isinstance(error, PermissionDenied):
            raise
        return answer_refusal(request, error, back=back)
    messages.success(
        request, _("%(name)s is told that your draft is ready.") % {"name": post.author.name}
    )
    return redirect(f"{back}#draft-{post.pk}")
