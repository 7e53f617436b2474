"""Who may do what in governance. Every path (pages, Django admin, the .ics feed, the CSV
export) asks here, and nowhere else.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import Charter
from people.models import User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_administrator(user: User) -> bool:
    return _active(user) and user.is_superuser


def can_manage_charter(user: User) -> bool:
    """Administrators write and publish the charter."""
    return is_administrator(user)


def can_accept_charter(user: User) -> bool:
    return _active(user)


def can_view_audit_log(user: User) -> bool:
    """Administrators search and export the audit log; nobody edits it."""
    return is_administrator(user)


def can_view_rights_map(user: User) -> bool:
    return is_administrator(user)


def can_change_rights(user: User) -> bool:
    """Granting or withdrawing a role or a publishing right: administrators only."""
    return is_administrator(user)


def access_charter_for_edit(user: User, charter_id: int) -> Charter:
    """A charter version an administrator may still edit (a draft), or 404."""
    if not can_manage_charter(user):
        raise Http404
    return get_object_or_404(Charter, pk=charter_id)
