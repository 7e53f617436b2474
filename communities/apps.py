from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        # Imported here, not at module level: models can be imported only once apps are ready.
        from communities import content, versions  # noqa: F401 - its receivers bump versions

        # The "thread" and "community" kinds and the community directory (core.content).
        content.register_all()
