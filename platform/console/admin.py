"""Console records in the Django admin: to read, never to write (same rule as the kernel's,
`governance.admin.ReadOnlyAdmin`: every write goes through a service and the audit log)."""

from __future__ import annotations

from django.contrib import admin

from console.models import QuestionnaireResponse, Report
from governance.admin import ReadOnlyAdmin


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "object_id", "reason", "status", "reporter", "author"]
    list_filter = ["status", "kind", "reason"]
    list_select_related = ["reporter", "author"]


@admin.register(QuestionnaireResponse)
class QuestionnaireResponseAdmin(ReadOnlyAdmin):
    list_display = ["respondent", "submitted_at", "believed_stage"]
    list_select_related = ["respondent"]
