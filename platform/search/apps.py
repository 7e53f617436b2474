from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Global search: one page over every registered content kind and people.

    It reads content through the registry (`core.content`: each kind's `search_source`),
    never by importing the content apps, so it sits with the other readers of every kind
    (console, metrics) and below blogs and communities."""

    name = "search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Imported here, not at the top: it imports models, which are not ready when Django
        # imports this module.
        from search import indexing

        indexing.connect()
