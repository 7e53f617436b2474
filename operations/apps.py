from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What an operator needs: backup and restore, request ids in the logs, error tracking,
    the Prometheus endpoint. It reads the other apps only through Django and the database."""

    name = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # The Celery signal receivers pass the request id from the web request to its tasks.
        from operations import requestid  # noqa: F401
