"""Wagtail hooks of the platform: documents follow the media rules (core.media).

Wagtail serves a document at /documents/<id>/<name> by its own view, which checks collection
privacy only: the same file must not be readable there by someone the media view refuses.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from wagtail import hooks

from core.media import may_read_file


@hooks.register("before_serve_document")
def documents_follow_media_rules(document: Any, request: HttpRequest) -> None:
    if not may_read_file(request.user, document.file.name):
        raise Http404
