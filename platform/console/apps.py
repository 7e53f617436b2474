from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The governance console: reports and the moderation queue, the publishing-rights map,
    the editorial calendar and the executives' questionnaire. It reads every content app
    through the registry (`core.content`); the governance kernel (charter, gate, audit) sits
    below it and never imports it."""

    name = "console"
    label = "console"
    verbose_name = _("Governance console")

    def ready(self) -> None:
        # Imported here, not at the top: it imports models, which are not ready when Django
        # imports this module.
        from console import navigation

        navigation.register()
