"""Wagtail hooks of the platform: documents follow the media rules (core.media); the page
editor's tag field is labelled.

Wagtail serves a document at /documents/<id>/<name> by its own view, which checks collection
privacy only: the same file must not be readable there by someone the media view refuses.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from core.media import may_read_file


@hooks.register("before_serve_document")
def documents_follow_media_rules(document: Any, request: HttpRequest) -> None:
    if not may_read_file(request.user, document.file.name):
        raise Http404


@hooks.register("insert_editor_js")
def editor_labels() -> str:
    """The page editor's tag field gets an accessible name (core/admin-labels.js)."""
    return format_html('<script src="{}" defer></script>', static("core/admin-labels.js"))
