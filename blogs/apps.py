from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogsConfig(AppConfig):
    name = "blogs"
    verbose_name = _("Blogs")

    def ready(self) -> None:
        # Both modules import the models, which exist only once the app registry is ready.
        from blogs import content, signals, versions  # noqa: F401  (they connect receivers)

        content.register()
