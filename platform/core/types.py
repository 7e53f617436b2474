"""Types shared by views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:  # core sits below people: the annotation only
    from people.models import User


class AuthenticatedRequest(HttpRequest):
    """A request that passed LoginRequiredMiddleware: its user is an employee, not anonymous.

    Only for type checking; views behind login annotate their request with it.
    """

    user: User
