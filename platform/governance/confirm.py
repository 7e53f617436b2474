"""The confirmation step of high-impact actions (granting the executive role, publishing a
charter everyone must accept again): the first POST answers a page that states the
consequence and posts the same fields again with `confirm=1`; only that second POST writes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "1"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str | Promise,
    consequences: Iterable[str | Promise],
    confirm_label: str | Promise,
    back: str,
    keep: Iterable[str] = (),
) -> HttpResponse:
    """The page asking to confirm; `keep` names the POST fields posted again (with `next`)."""
    names = [*keep, "next"]
    fields = [(name, request.POST[name]) for name in names if name in request.POST]
    context = {
        "title": title,
        "consequences": list(consequences),
        "confirm_label": confirm_label,
        "back": back,
        "action": request.path,
        "fields": fields,
    }
    return render(request, "governance/confirm.html", context)
