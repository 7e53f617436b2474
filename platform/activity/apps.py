from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    """The participation-event log every app writes to and only metrics reads."""

    name = "activity"
    verbose_name = _("Participation events")

    def ready(self) -> None:
        # Models are loaded only now (retention imports them).
        from activity.retention import register_sqlite_erasure

        connection_created.connect(register_sqlite_erasure, dispatch_uid="activity-erasure")
