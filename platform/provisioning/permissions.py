"""Who may manage provisioning clients: administrators (the command line needs no person)."""

from __future__ import annotations

from people.models import User


def can_manage_provisioning(user: User) -> bool:
    return user.is_active and user.is_superuser
