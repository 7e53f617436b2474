from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogsConfig(AppConfig):
    name = "blogs"
    verbose_name = _("Blogs")

    def ready(self) -> None:
        from blogs import signals  # noqa: F401  (connects the receivers)

        try:
            from interactions.registry import register
        except ImportError:  # comments and reactions not installed
            return
        from blogs.models import PostPage

        register("post", PostPage)
