"""Moderation of a post from Wagtail's admin: administrators hide or restore it there, with a
reason, through the one moderation path (governance.services.content_hide/content_restore)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from blogs.content import post_load
from blogs.forms import PostModerationForm
from blogs.permissions import can_moderate_post
from core.http import safe_next
from core.refusals import REFUSALS, form_refusal
from core.types import AuthenticatedRequest
from governance.services import content_hide, content_restore


@require_http_methods(["GET", "POST"])
def post_moderate(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    """Hide a visible post (a reason is required), or restore a hidden one."""
    post = post_load(post_id)
    if post is None or not can_moderate_post(request.user, post):
        raise Http404
    back = safe_next(request, reverse("wagtailadmin_explore", args=(post.get_parent().pk,)))
    form = PostModerationForm(request.POST if request.method == "POST" else None)
    restoring = post.is_hidden
    if request.method == "POST" and form.is_valid():
        try:
            if restoring:
                content_restore(actor=request.user, obj=post)
            else:
                content_hide(actor=request.user, obj=post, reason=form.cleaned_data["reason"])
        except REFUSALS as error:
            if (own := form_refusal(request, form, error)) is not None:
                return own
        else:
            messages.success(request, _("Post restored.") if restoring else _("Post hidden."))
            return redirect(back)
    context = {"post": post, "form": form, "next": back}
    return render(request, "blogs/admin/post_moderate.html", context)
