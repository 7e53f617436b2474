"""At sign-in, the gate's answer (has this person a second factor?) is read once and cached,
so that no page pays a query for it (selectors.has_two_factor, twofactor.middleware)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from people.models import User
from twofactor import selectors


def remember_enrolment(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    selectors.has_two_factor(user)
