"""Who may use the ROI worksheet.

Administrators and executives both see it and edit its assumptions: the executives own the
business case, administrators run the platform whose costs it lists. To everyone else the
worksheet does not exist (404), like the organisation's dashboard.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from people.models import User


def can_view_worksheet(user: User | AnonymousUser) -> bool:
    if not (user.is_authenticated and user.is_active and isinstance(user, User)):
        return False
    return bool(user.is_superuser or user.is_executive)


def can_edit_worksheet(user: User | AnonymousUser) -> bool:
    return can_view_worksheet(user)


def access_worksheet(user: User | AnonymousUser) -> None:
    """404 unless this person may see the worksheet."""
    if not can_view_worksheet(user):
        raise Http404
