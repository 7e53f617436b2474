"""Who may do what with people and profiles. Views, consumers and tasks all ask here."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import Department, User


def can_edit_profile(user: User, profile: User) -> bool:
    """Only the employee themself, or an administrator, edits a profile."""
    return user.is_authenticated and user.is_active and (user.pk == profile.pk or user.is_superuser)


def can_view_metrics(user: User) -> bool:
    """Administrators, department heads, executives and community managers have dashboards."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(
        user.is_superuser
        or user.is_executive
        or user.is_community_manager
        or Department.objects.filter(head=user).exists()
    )


def can_use_admin(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def access_profile(username: str) -> User:
    """The active employee with this username, or 404 (deactivated accounts are not shown)."""
    return get_object_or_404(
        User.objects.select_related("department", "manager"), username=username, is_active=True
    )


def access_profile_for_edit(user: User, username: str) -> User:
    profile = access_profile(username)
    if not can_edit_profile(user, profile):
        # 404 rather than 403: the edit page of someone else does not exist for you.
        raise Http404
    return profile
