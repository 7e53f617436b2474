from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from people.models import Department


# Registered by `console.admin` (a subclass that audits every change of rights): a change of
# role is a governance write, audited by a layer above this one.
class EmployeeAdmin(UserAdmin):
    list_display = ("username", "name", "job_title", "department", "is_executive", "is_active")
    list_filter = (
        "department",
        "is_executive",
        "is_community_manager",
        "is_superuser",
        "is_active",
    )
    list_select_related = ("department",)
    search_fields = ("username", "first_name", "last_name", "display_name", "email", "job_title")
    autocomplete_fields = ("department", "manager")
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "job_title",
                    "department",
                    "manager",
                    "preferred_language",
                    "photo",
                    "bio",
                    "narrative_why",
                    "narrative_goal",
                    "narrative_help",
                )
            },
        ),
        (_("Roles"), {"fields": ("is_executive", "is_community_manager", "is_communications")}),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "head", "parent")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("head", "parent")
