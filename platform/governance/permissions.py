"""Who may do what in the governance kernel (charter, audit log, Django admin). Every path
(pages, Django admin, the CSV export) asks here, and nowhere else. The console's rules
(moderation, rights, calendar, questionnaire) are in `console.permissions`.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import Charter
from people.models import User


def is_active_person(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_administrator(user: User) -> bool:
    """Administrators govern: charter, audit, rights, and moderation of everything."""
    return is_active_person(user) and user.is_superuser


def can_manage_charter(user: User) -> bool:
    """Administrators write and publish the charter."""
    return is_administrator(user)


def can_accept_charter(user: User) -> bool:
    return is_active_person(user)


def can_view_audit_log(user: User) -> bool:
    """Administrators search and export the audit log; nobody edits it."""
    return is_administrator(user)


def access_charter_for_edit(user: User, charter_id: int) -> Charter:
    """A charter version an administrator may still edit (a draft), or 404."""
    if not can_manage_charter(user):
        raise Http404
    return get_object_or_404(Charter, pk=charter_id)


# --- Django admin -----------------------------------------------------------------------------


def can_view_in_admin(user: User) -> bool:
    """Governance records are read in the Django admin by administrators; nobody adds, changes
    or deletes them there (every write goes through the services and is audited)."""
    return is_administrator(user)
