"""Wagtail admin hooks for blogs: each employee sees and changes only their own blog.

The pages' `permissions_for_user` (blogs.permissions.BlogPagePermissionTester) already decides
what Wagtail shows and allows; the `before_*` hooks below refuse a second time, so that a
crafted POST to an admin URL meets the same rules as a click. Hooks never write themselves:
a post deleted in the editor is audited through blogs.services.post_deletion_audit, and
administrators hide or restore a post from the admin (blogs.admin_views) through
governance.services.content_hide/content_restore, the one moderation path.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import register_permission_policy

from blogs import admin_access, admin_views, services
from blogs.models import IDEMPOTENCY_KEY_FIELD, BlogIndexPage, BlogPage, LeadershipPage, PostPage
from blogs.permissions import can_moderate_post
from blogs.services import post_deletion_audit
from core.http import safe_next
from governance.exceptions import CharterNotAccepted
from governance.gate import redirect_to_charter
from governance.services import charter_require

BLOG_TYPES = (BlogIndexPage, BlogPage, PostPage, LeadershipPage)

# Images and documents: whoever uploaded them, or may see a page using them (blogs.admin_access).
# For the exact class, which the registry asks first: Wagtail's own apps register theirs in
# their ready(), which may run after this module is imported.
register_permission_policy(get_image_model(), admin_access.ImagePolicy(), exact_class=True)
register_permission_policy(get_document_model(), admin_access.DocumentPolicy(), exact_class=True)
_writable_blog_paths = admin_access.writable_blog_paths


def _specific(page):
    return page if isinstance(page, BLOG_TYPES) else page.specific_deferred


@hooks.register("construct_explorer_page_queryset")
def only_own_blogs_in_explorer(parent_page, pages, request):
    user = request.user
    if user.is_superuser:
        return pages
    paths = _writable_blog_paths(user)
    if isinstance(_specific(parent_page), BlogIndexPage):
        return pages.filter(path__in=paths)
    if isinstance(_specific(parent_page), BlogPage) and parent_page.path not in paths:
        return pages.none()
    return admin_access.pages_visible(user, pages)


@hooks.register("construct_page_chooser_queryset")
def no_drafts_of_others_in_chooser(pages, request):
    """Linking to a page: the pages you may see (blogs.admin_access), never the title of another's
    draft, scheduled or hidden post, nor the unpublished new title of a live one."""
    return admin_access.pages_visible(request.user, pages)


@hooks.register("register_admin_viewset")
def pages_opened_only_by_who_may_see_them():
    """Every /admin/pages/<id>/... view of a post or a blog (explorer, edit, history, revisions,
    compare, preview, usage, workflow...) refuses a page its user may not see."""
    return list(admin_access.PAGE_VIEWSETS)


@hooks.register("construct_admin_api", order=100)
def visible_files_and_no_page_actions_in_the_admin_api(router):
    """The admin API's image and document listings apply the same rule as the choosers (after
    Wagtail's own apps registered theirs, hence the order); its pages are listed, never acted
    on (see ListingPagesAdminAPIViewSet)."""
    router.register_endpoint("pages", admin_access.ListingPagesAdminAPIViewSet)
    router.register_endpoint("images", admin_access.VisibleImagesAdminAPIViewSet)
    router.register_endpoint("documents", admin_access.VisibleDocumentsAdminAPIViewSet)


def _charter_missing(user) -> bool:
    """True when governance requires a charter `user` has not accepted yet."""
    try:
        charter_require(user)
    except CharterNotAccepted:
        return True
    return False


def _to_charter(request, return_url: str):
    return redirect_to_charter(request, return_url=return_url)


def _hold_publication_for_charter(request) -> None:
    """A "Publish" before accepting the charter: Wagtail saves a draft instead (nothing typed is
    lost) and the after-hooks send the author to the charter, then back to that draft."""
    publishing = request.method == "POST" and "action-publish" in request.POST
    if publishing and _charter_missing(request.user):
        post_data = request.POST.copy()
        del post_data["action-publish"]
        request.POST = post_data
        request._blogs_charter_pending = True


@hooks.register("before_create_page")
def guard_create(request, parent_page, page_class):
    parent = _specific(parent_page)
    if issubclass(page_class, BLOG_TYPES) or isinstance(parent, BLOG_TYPES):
        if not (
            issubclass(page_class, PostPage)
            and isinstance(parent, BlogPage)
            and parent.permissions_for_user(request.user).can_add_subpage()
        ):
            raise PermissionDenied
        # "Publish" from the create form by someone who may only prepare drafts (a delegate):
        # refused like the same button on the edit form, rather than silently saved as a draft.
        publishing = request.method == "POST" and "action-publish" in request.POST
        if publishing and not parent.permissions_for_user(request.user).can_publish_subpage():
            raise PermissionDenied
        if request.method == "GET" and _charter_missing(request.user):
            return _to_charter(request, request.get_full_path())
        _hold_publication_for_charter(request)
    return None


@hooks.register("before_edit_page")
def guard_edit(request, page):
    page = _specific(page)
    if isinstance(page, BLOG_TYPES):
        perms = page.permissions_for_user(request.user)
        if not perms.can_edit():
            raise PermissionDenied
        if (
            request.method == "POST"
            and "action-publish" in request.POST
            and not perms.can_publish()
        ):
            raise PermissionDenied
        _hold_publication_for_charter(request)
    return None


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def charter_after_saving_the_draft(request, page):
    if getattr(request, "_blogs_charter_pending", False):
        return _to_charter(request, reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    return None


@hooks.register("before_publish_page")
def guard_publish(request, page):
    page = _specific(page)
    if isinstance(page, BLOG_TYPES) and not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return None


@hooks.register("before_bulk_action")
def charter_before_bulk_publish(request, action_type, objects, action_class_instance):
    """Publishing many posts at once from the explorer needs the current charter too: the
    editor's gate (above) does not see this path."""
    if action_type != "publish" or not _charter_missing(request.user):
        return None
    if not any(isinstance(_specific(page), BLOG_TYPES) for page in objects):
        return None
    return _to_charter(request, safe_next(request, reverse("wagtailadmin_home")))


@hooks.register("before_unpublish_page")
def guard_unpublish(request, page):
    page = _specific(page)
    if isinstance(page, BLOG_TYPES) and not page.permissions_for_user(request.user).can_unpublish():
        raise PermissionDenied
    return None


@hooks.register("before_delete_page")
def guard_delete(request, page):
    page = _specific(page)
    if isinstance(page, BLOG_TYPES) and not page.permissions_for_user(request.user).can_delete():
        raise PermissionDenied
    return None


@hooks.register("after_delete_page")
def audit_post_deletion(request, page) -> None:
    """A post deleted in Wagtail's editor does not pass through blogs.services.post_delete:
    the audit log records it here, with who deleted it and what it was."""
    page = _specific(page)
    if isinstance(page, PostPage):
        post_deletion_audit(actor=request.user, post=page)


@hooks.register("before_move_page")
def guard_move(request, page_to_move, destination):
    if isinstance(_specific(page_to_move), BLOG_TYPES) or isinstance(
        _specific(destination), BLOG_TYPES
    ):
        raise PermissionDenied
    return None


@hooks.register("before_copy_page")
def guard_copy(request, page):
    if isinstance(_specific(page), BLOG_TYPES):
        raise PermissionDenied
    return None


BULK_CHECKS = {
    "delete": "can_delete",
    "publish": "can_publish",
    "unpublish": "can_unpublish",
    "move": "can_move",
}


@hooks.register("before_bulk_action")
def guard_bulk(request, action_type, objects, action_class_instance):
    check = BULK_CHECKS.get(action_type)
    for obj in objects:
        page = getattr(obj, "specific_deferred", obj)
        if not isinstance(page, BLOG_TYPES):
            continue
        perms = page.permissions_for_user(request.user)
        if check is None or not getattr(perms, check)():
            raise PermissionDenied
    return None


@hooks.register("register_admin_menu_item")
def write_a_post_menu_item():
    return MenuItem(_("Write a post"), reverse("blogs:write"), icon_name="edit", order=50)


@hooks.register("construct_reports_menu")
def no_site_wide_page_reports_for_writers(request, menu_items):
    """The "Page types usage" report names the last edited page of each type, whoever owns it
    (a colleague's draft title): only administrators see it in the menu."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


# --- Moderation from the admin: the one path, governance.services.content_hide/restore ----------
@hooks.register("register_admin_urls")
def post_moderation_urls():
    return [
        path(
            "blogs/posts/<int:post_id>/moderate/",
            admin_views.post_moderate,
            name="blogs_post_moderate",
        )
    ]


def _moderate_button(page, user, next_url, priority: int):
    page = _specific(page)
    if not (isinstance(page, PostPage) and can_moderate_post(user, page)):
        return
    url = reverse("blogs_post_moderate", args=(page.pk,))
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    hidden = page.hidden_at is not None
    yield Button(
        _("Restore (moderation)") if hidden else _("Hide (moderation)"),
        url,
        icon_name="view" if hidden else "no-view",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def moderate_post_header_button(page, user, view_name, next_url=None):
    yield from _moderate_button(page, user, next_url, priority=62)


@hooks.register("register_page_listing_more_buttons")
def moderate_post_listing_button(page, user, next_url=None):
    yield from _moderate_button(page, user, next_url, priority=42)


@hooks.register("after_publish_page")
def land_on_the_published_post(request, page):
    """After Publish in Wagtail's editor the writer lands on their post, as after the
    composer, not in an admin listing (a scheduled post stays in the editor, which says when
    it goes live). The redirect itself is answered by `_to_the_post`, the last hook of the
    create and edit views, so that every other hook of theirs still runs."""
    page = _specific(page)
    if isinstance(page, PostPage) and page.live:
        request._blogs_land_on = page.get_url(request) or page.url_path
    return None


@hooks.register("after_create_page", order=100)
@hooks.register("after_edit_page", order=100)
def _to_the_post(request, page):
    landing = getattr(request, "_blogs_land_on", None)
    return redirect(landing) if landing else None


def _submission_key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(IDEMPOTENCY_KEY_FIELD, ""))
    except ValueError:
        return None


@hooks.register("before_create_page", order=-10)
def new_post_once(request, parent_page, page_class):
    """A new-post form sent again (a retried request, the browser's "resend", a double click
    that got through) lands on the post the first one created instead of creating another."""
    if request.method != "POST" or not issubclass(page_class, PostPage):
        return None
    earlier = services.post_submission_of(actor=request.user, key=_submission_key(request))
    if earlier is None:
        return None
    if earlier.live:
        return redirect(earlier.get_url(request) or earlier.url_path)
    return redirect("wagtailadmin_pages:edit", earlier.pk)


@hooks.register("after_create_page", order=-10)
def remember_new_post(request, page):
    page = _specific(page)
    if isinstance(page, PostPage):
        services.post_submission_record(actor=request.user, key=_submission_key(request), post=page)
    return None
