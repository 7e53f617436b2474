from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AmaConfig(AppConfig):
    name = "ama"
    verbose_name = _("Ask me anything")

    def ready(self) -> None:
        # Imported here, not at module level: models can be imported only once apps are ready.
        from ama import content

        # Sessions, questions and answers: visibility, moderation, calendar (core.content).
        content.register_all()
