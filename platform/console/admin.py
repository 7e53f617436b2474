"""Console records in the Django admin: to read, never to write (same rule as the kernel's,
`governance.admin.ReadOnlyAdmin`: every write goes through a service and the audit log).

The employee admin is registered here, not in `people`: its role flags (administrator, staff,
active, executive, community manager) are rights, and a change of rights is audited
(`console.services.account_flags_audit`), which the people layer cannot import."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from console import services
from console.models import QuestionnaireResponse, Report
from console.permissions import can_change_rights
from governance.admin import ReadOnlyAdmin
from people.admin import EmployeeAdmin as PeopleEmployeeAdmin
from people.models import User


@admin.register(User)
class EmployeeAdmin(PeopleEmployeeAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if can_change_rights(request.user):  # type: ignore[arg-type]
            return fields
        # Staff who may edit accounts do not give themselves (or anyone) rights.
        return (*fields, *services.ACCOUNT_FLAGS, "groups", "user_permissions")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The admin's change view already runs in a transaction; this one makes the rule hold
        # on any other path: the flags are read (row locked) before the save, audited after.
        with transaction.atomic():
            before = services.account_flags_locked(person_id=obj.pk if change else None)
            super().save_model(request, obj, form, change)
            services.account_flags_audit(
                actor=request.user,  # type: ignore[arg-type]
                person=obj,
                before=before,
            )


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "object_id", "reason", "status", "reporter", "author"]
    list_filter = ["status", "kind", "reason"]
    list_select_related = ["reporter", "author"]


@admin.register(QuestionnaireResponse)
class QuestionnaireResponseAdmin(ReadOnlyAdmin):
    list_display = ["respondent", "submitted_at", "believed_stage"]
    list_select_related = ["respondent"]
