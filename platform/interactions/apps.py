from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionsConfig(AppConfig):
    name = "interactions"
    verbose_name = _("Interactions")

    def ready(self) -> None:
        # Models are importable only once the app registry is ready.
        # The receivers that version conversations (interactions.conversations).
        from interactions import conversations  # noqa: F401
        from interactions.content import register_kinds

        register_kinds()
