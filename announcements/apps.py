from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "announcements"
    verbose_name = _("Announcements")

    def ready(self) -> None:
        # Imported here, not at module level: models can be imported only once apps are ready.
        from announcements import content

        # The "announcement" kind: visibility, calendar, home feed and pins (core.content).
        content.register_all()
