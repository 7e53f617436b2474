"""The audit log: searched on a page, exported as CSV (administrators only; nobody edits it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from core.exports import csv_response
from core.types import AuthenticatedRequest
from governance import selectors
from governance.audit_text import action_choices, audit_lines
from governance.forms import AuditSearchForm
from governance.models import AuditEntry
from governance.permissions import can_view_audit_log

AUDIT_PAGE_SIZE = 50
# Lazy: core.exports writes them in the reader's language when the file is sent.
CSV_HEADER = [
    pgettext_lazy("audit export", "When"),
    pgettext_lazy("audit export", "Who"),
    pgettext_lazy("audit export", "Who (id)"),
    pgettext_lazy("audit export", "Action"),
    pgettext_lazy("audit export", "Target type"),
    pgettext_lazy("audit export", "Target (id)"),
    pgettext_lazy("audit export", "Target"),
    pgettext_lazy("audit export", "Before"),
    pgettext_lazy("audit export", "After"),
]


def _audit_filtered(request: AuthenticatedRequest) -> tuple[AuditSearchForm, QuerySet[AuditEntry]]:
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = selectors.audit_entries(
            query=data["q"], action=data["action"], since=data["since"], until=data["until"]
        )
    else:
        entries = selectors.audit_entries()
    return form, entries


def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise Http404
    form, entries = _audit_filtered(request)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/audit_log.html",
        {
            "form": form,
            "page": page,
            "lines": audit_lines(page.object_list),
            "actions": action_choices(selectors.audit_actions()),
            "query_string": query.urlencode(),
        },
    )


def _json_or_empty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if value else ""


def audit_csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[list[Any]]:
    """One CSV row per entry, read in chunks (the log grows without bound)."""
    for entry in entries.iterator(chunk_size=2000):
        yield [
            entry.created_at.isoformat(),
            entry.actor_label,
            entry.actor_id,
            entry.action,
            entry.target_type,
            entry.target_id,
            entry.target_label,
            _json_or_empty(entry.before),
            _json_or_empty(entry.after),
        ]


def audit_log_csv(request: AuthenticatedRequest) -> HttpResponseBase:
    """The filtered audit log as CSV, streamed."""
    if not can_view_audit_log(request.user):
        raise Http404
    form, entries = _audit_filtered(request)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(" ".join(str(e) for e in form.errors.values()))
    stamp = timezone.localdate().isoformat()
    return csv_response(
        filename=f"ruche-audit-{stamp}.csv", header=CSV_HEADER, rows=audit_csv_rows(entries)
    )
