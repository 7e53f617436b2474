"""Who may download or erase a person's data."""

from __future__ import annotations

from people.models import User


def can_export(user: User, person: User) -> bool:
    """The person themself, and administrators for anyone."""
    return user.is_authenticated and user.is_active and (user.pk == person.pk or user.is_superuser)


def can_erase(user: User, person: User) -> bool:
    """Administrators, for anyone but themselves (another administrator erases them)."""
    return user.is_authenticated and user.is_active and user.is_superuser and user.pk != person.pk
