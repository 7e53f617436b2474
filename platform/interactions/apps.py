from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "interactions"
    verbose_name = _("Interactions")

    def ready(self) -> None:
        from interactions.models import Comment
        from interactions.registry import register

        # People react to comments too (the "comment" key of the reaction URLs).
        register("comment", Comment)
