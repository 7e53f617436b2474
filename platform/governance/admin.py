"""Governance records in the Django admin: to read, never to write.

Every governance write goes through a service that checks permission and records it in the
audit log; the admin would be a side door around both. So each model here is view-only, for
administrators (governance.permissions), and the audit log cannot be changed by anyone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from governance.models import AuditEntry, Charter, CharterAcceptance
from governance.permissions import can_view_in_admin


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None  # no "delete selected"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view_in_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_view_in_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "action", "target_label"]
    date_hierarchy = "created_at"


@admin.register(Charter)
class CharterAdmin(ReadOnlyAdmin):
    list_display = ["version", "title_fr", "title_en", "published_at"]


@admin.register(CharterAcceptance)
class CharterAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ["user", "charter", "accepted_at"]
    list_select_related = ["user", "charter"]
    search_fields = ["user__username", "user__last_name"]
