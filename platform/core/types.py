"""Types shared by views."""

from __future__ import annotations

from django.http import HttpRequest

from people.models import User


class AuthenticatedRequest(HttpRequest):
    """A request that passed LoginRequiredMiddleware: its user is an employee, not anonymous.

    Only for type checking; views behind login annotate their request with it.
    """

    user: User
