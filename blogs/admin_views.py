"""Moderation of a post from Wagtail's admin: administrators hide or restore it there, with a
reason, through the one moderation path (governance.services.content_hide/content_restore)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from taggit.models import Tag
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT as TAG_LIMIT
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.documents.views import documents as documents_views
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.images import get_image_model
from wagtail.images.views import images as images_views
from wagtail.images.views.chooser import ImageChooserViewSet, ImageChooseView
from wagtail.images.views.images import ImagesFilterSet
from wagtail.models import Revision

from blogs import admin_access
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


# --- Wagtail admin views with no hook for visibility (blogs.admin_access) -----------------------
# The project puts ADMIN_URL_OVERRIDES before Wagtail's admin URLs (ruche/urls.py); each view
# applies Ruche's visibility, then hands over to Wagtail's own view.
_browse = chooser.BrowseView.as_view()
_external_link = chooser.ExternalLinkView.as_view()


def page_chooser_browse(request: AuthenticatedRequest, parent_page_id: int | None = None):
    """The page chooser opened on a page: 404 for a page the user may not see (its title would
    head the list); its children are filtered by the construct_page_chooser_queryset hook."""
    admin_access.visible_page_or_404(request.user, parent_page_id)
    return _browse(request, parent_page_id=parent_page_id)


def page_chooser_chosen_multiple(request: AuthenticatedRequest):
    """The titles of several chosen pages: only the pages the user may see."""
    for page_id in request.GET.getlist("id"):
        if not page_id.isdigit():
            raise Http404
        admin_access.visible_page_or_404(request.user, page_id)
    return chooser.ChosenMultipleView.as_view()(request)


class _ExternalLinkOnlyView(chooser.ExternalLinkView):
    """The link form as submitted, never converted to a page link."""

    def post(self, request):
        return chooser.BaseLinkFormView.post(self, request)


_external_link_only = _ExternalLinkOnlyView.as_view()


_EXTERNAL_URL_FIELD = f"{chooser.ExternalLinkView.form_prefix}-url"


def page_chooser_external_link(request: AuthenticatedRequest):
    """A pasted URL of a page the user may not see stays an external link: Wagtail would answer
    with the page's draft title (the unpublished new title of a live post, a hidden post)."""
    if request.method == "POST" and _EXTERNAL_URL_FIELD not in request.POST:
        # Wagtail's URL field crashes on a missing value (None.startswith) instead of saying
        # "required": submit it empty, so the form comes back with its error.
        request.POST = request.POST.copy()
        request.POST[_EXTERNAL_URL_FIELD] = ""
    response = _external_link(request)
    if request.method != "POST" or admin_access.sees_everything(request.user):
        return response
    data = json.loads(response.content)
    internal = data.get("internal") if "internal" in data else data.get("result")
    page_id = internal.get("id") if isinstance(internal, dict) else None
    if page_id is not None and not admin_access.page_visible(request.user, page_id):
        return _external_link_only(request)
    return response


def _revision_view(action: str):
    """Wagtail's revision views of a page, for revisions of that page only: a revision id of
    nothing (0) or of another page is a 404, where Wagtail crashes on None.as_object."""
    view = page_viewset_registry.as_view(action, page_id_kwarg="page_id")

    def wrapped(request: AuthenticatedRequest, page_id: int, revision_id: int):
        if not Revision.page_revisions.filter(pk=revision_id, object_id=str(page_id)).exists():
            raise Http404
        return view(request, page_id=page_id, revision_id=revision_id)

    return wrapped


def tag_autocomplete(request: AuthenticatedRequest, app_name=None, model_name=None):
    """Tag suggestions: only the tags of posts, images and documents the user may see."""
    term = request.GET.get("term", "")
    if not term or "\x00" in term:
        return JsonResponse([], safe=False)
    tags = Tag.objects.filter(name__istartswith=term)
    if not admin_access.sees_everything(request.user):
        tags = tags.filter(admin_access.tags_visible_q(request.user))
    names = tags.order_by("name").values_list("name", flat=True).distinct()[:TAG_LIMIT]
    return JsonResponse(list(names), safe=False)


class _VisibleTagsImageChooseView(ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = admin_access.popular_tags(self.request.user, self.model)
        return context


class _ImageChooser(ImageChooserViewSet):
    """Wagtail's image chooser (its images come from blogs.admin_access.ImagePolicy), with
    the popular tags of the images the user may see, not of every image."""

    choose_view_class = _VisibleTagsImageChooseView


_image_chooser = _ImageChooser(
    "wagtailimages_chooser", model=get_image_model(), url_prefix="images/chooser"
)


def _visible_tag_filter(filterset) -> None:
    if "tag" in filterset.filters:
        tags = admin_access.popular_tags(filterset.request.user, filterset._meta.model)
        filterset.filters["tag"].extra["choices"] = [(tag.name, tag.name) for tag in tags]


class _ImagesFilterSet(ImagesFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _visible_tag_filter(self)


class _DocumentsFilterSet(DocumentsFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _visible_tag_filter(self)


class _ImagesIndex(images_views.IndexView):
    filterset_class = _ImagesFilterSet


class _DocumentsIndex(documents_views.IndexView):
    filterset_class = _DocumentsFilterSet


def _admin(view):
    """As Wagtail decorates its own admin URLs: signed in with admin access, never cached."""
    return never_cache(require_admin_access(view))


ADMIN_URL_OVERRIDES = [
    path("admin/choose-page/", _admin(page_chooser_browse)),
    path("admin/choose-page/<int:parent_page_id>/", _admin(page_chooser_browse)),
    path("admin/choose-page/chosen-multiple/", _admin(page_chooser_chosen_multiple)),
    path("admin/choose-external-link/", _admin(page_chooser_external_link)),
    path("admin/tag-autocomplete/", _admin(tag_autocomplete)),
    path("admin/images/chooser/", _admin(_image_chooser.choose_view)),
    path("admin/images/", _admin(_ImagesIndex.as_view())),
    path("admin/images/results/", _admin(_ImagesIndex.as_view(results_only=True))),
    path("admin/documents/", _admin(_DocumentsIndex.as_view())),
    path("admin/documents/results/", _admin(_DocumentsIndex.as_view(results_only=True))),
    path("admin/tag-autocomplete/<slug:app_name>/<slug:model_name>/", _admin(tag_autocomplete)),
    *(
        path(
            f"admin/pages/<int:page_id>/revisions/<int:revision_id>/{action}/",
            _admin(_revision_view(f"revisions_{action}")),
        )
        for action in ("view", "revert", "unschedule")
    ),
]
