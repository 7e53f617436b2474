from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Communities")

    def ready(self) -> None:
        from communities.models import Thread
        from interactions.registry import register

        # Replies, reactions and mentions on threads go through interactions' URLs as "thread".
        register("thread", Thread)
