from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.measures import register_stage_provider


class MetricsConfig(AppConfig):
    name = "metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        # metrics.stage imports the models, which are loaded only now (not at apps.py import).
        from metrics.stage import latest_stage

        # The governance console (below metrics) reads the measured stage through core.measures.
        register_stage_provider(latest_stage)
