"""Who must, who may, and who resets two-factor authentication. The gate (middleware), the
pages and the services all ask here."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.permissions import is_administrator
from people.models import User


def two_factor_required(user: User) -> bool:
    """Administrators and Django admin staff must use a second factor (unless the operators
    switched the rule off with RUCHE_2FA_REQUIRED_FOR_ADMINS); everyone else may."""
    return bool(
        settings.RUCHE_2FA_REQUIRED_FOR_ADMINS
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.is_staff)
    )


def can_manage_own_two_factor(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_reset_two_factor(actor: User, person: User) -> bool:
    """An administrator resets someone else's second factor (a lost phone); their own goes
    through their security page, which asks for a current code."""
    return is_administrator(actor) and actor.pk != person.pk


def access_person_for_reset(actor: User, username: str) -> User:
    """The active employee whose second factor `actor` may see and reset, or 404: for anyone
    but an administrator the page does not exist."""
    if not is_administrator(actor):
        raise Http404
    return get_object_or_404(User, username=username, is_active=True)
