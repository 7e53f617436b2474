"""The console's sections of the governance menu (registered from `ConsoleConfig.ready()`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from console import permissions
from governance.navigation import Section, register_section


def register() -> None:
    for section in (
        Section("rights", _("Publishing rights"), "governance:rights_map",
                permissions.can_view_rights_map, 20),
        Section("calendar", _("Editorial calendar"), "governance:calendar",
                permissions.can_view_calendar, 30),
        Section("moderation", _("Moderation"), "governance:moderation_queue",
                permissions.can_view_moderation_queue, 40),
        Section("directory", _("Directory import"), "governance:directory_import",
                permissions.can_import_directory, 55),
        Section("questionnaire", _("Leaders' questionnaire"), "governance:questionnaire_summary",
                permissions.can_view_questionnaire_summary, 60),
    ):  # fmt: skip
        register_section(section)
