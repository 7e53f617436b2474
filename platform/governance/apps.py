from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """The governance kernel, used by every writer: the usage charter and its gate, the audit
    log, and the one moderation path (`governance.services.content_hide` / `content_restore`).
    The console (moderation queue, rights, calendar, questionnaire) is the `console` app."""

    name = "governance"
    verbose_name = _("Governance")
