"""Read-only admin views, for administrators investigating "I did not get the e-mail".

Changes go through the services (the person's own settings page, the unsubscribe links), so
nothing here is editable.
"""

from __future__ import annotations

from django.contrib import admin

from notifications.models import Mute, Notification, NotificationPreference


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "kind", "target_title", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    list_select_related = ("recipient",)
    search_fields = ("recipient__username", "target_title", "group_key")
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "email_enabled", "email_immediate", "digest_frequency", "updated_at")
    list_filter = ("email_enabled", "email_immediate", "digest_frequency")
    list_select_related = ("user",)
    search_fields = ("user__username",)


@admin.register(Mute)
class MuteAdmin(ReadOnlyAdmin):
    list_display = ("user", "target_title", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "target_title")
