"""The nightly directory import from LDAP / Active Directory (README, "Connect your
directory", "LDAP and Active Directory"), when RUCHE_LDAP_NIGHTLY_IMPORT is on."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def import_ldap_nightly() -> dict[str, int] | None:
    """What `manage.py import_ldap` does, as the system: the same plan, lock and audit. A
    directory with errors, or unreachable, imports nothing and says why in the log (running it
    twice changes nothing the second time). Returns the counts applied, or None."""
    from console import services
    from people import ldap

    if not (ldap.ldap_enabled() and settings.RUCHE_LDAP_NIGHTLY_IMPORT):
        return None
    try:
        export = ldap.directory_export()
    except ldap.DirectoryUnreachable:
        logger.error("Nightly LDAP import: the directory could not be reached")
        return None
    if export.errors:
        logger.error("Nightly LDAP import refused: %s", "; ".join(export.errors[:20]))
        return None
    try:
        plan = services.directory_import_apply(
            actor=None,
            content=export.content,
            deactivate_missing=settings.RUCHE_LDAP_DEACTIVATE_MISSING,
        )
    except services.ImportInvalid as refused:
        errors = [
            f"{export.entries.get(e.line, e.line)}: {e.message}" for e in refused.plan.errors[:20]
        ]
        logger.error("Nightly LDAP import refused: %s", "; ".join(errors))
        return None
    return {**plan.counts, "departments": len(plan.new_departments)}
