from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    """The participation-event log every app writes to and only metrics reads."""

    name = "activity"
    verbose_name = _("Participation events")
