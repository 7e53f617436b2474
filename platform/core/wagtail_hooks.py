"""Wagtail hooks of the platform: documents follow the media rules (core.media), the admin
looks and reads like part of Ruche, and the page editor's typing boxes have names.

Wagtail serves a document at /documents/<id>/<name> by its own view, which checks collection
privacy only: the same file must not be readable there by someone the media view refuses.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core.media import may_read_file


@hooks.register("before_serve_document")
def documents_follow_media_rules(document: Any, request: HttpRequest) -> None:
    if not may_read_file(request.user, document.file.name):
        raise Http404


# --- Wagtail's editor as part of the intranet (issue 11, item 3) ------------------------------
# Ruche's colours in the admin (core/wagtail-admin.css), the way back to Ruche first in the
# sidebar, and no dashboard panel about Wagtail itself ("what's new": links to wagtail.org
# and a banner nobody at the company needs). Gravatar, the update check and workflows are off
# in the settings ("Wagtail" block).


@hooks.register("insert_global_admin_css")
def ruche_admin_colours() -> SafeString:
    return format_html('<link rel="stylesheet" href="{}">', static("core/wagtail-admin.css"))


@hooks.register("register_admin_menu_item")
def back_to_ruche_menu_item() -> MenuItem:
    return MenuItem(_("Back to Ruche"), "/", icon_name="home", order=1, name="back-to-ruche")


@hooks.register("construct_homepage_panels")
def no_wagtail_news_on_the_dashboard(request: HttpRequest, panels: list[Any]) -> None:
    panels[:] = [
        panel
        for panel in panels
        if getattr(panel, "name", "") not in {"whats_new_in_wagtail_version"}
    ]


@hooks.register("construct_help_menu")
def no_wagtail_help_menu(request: HttpRequest, menu_items: list[Any]) -> None:
    """Wagtail's Help menu sends employees to guide.wagtail.org (what's new in Wagtail, its
    editor guide): outside the intranet, and about a product they never chose. Ruche's own
    help is its README and its pages' explanations."""
    menu_items[:] = []


@hooks.register("insert_editor_js")
def editor_labels() -> str:
    """The page editor's tag box and rich-text boxes get accessible names (core/admin-labels.js)."""
    return format_html('<script src="{}" defer></script>', static("core/admin-labels.js"))
