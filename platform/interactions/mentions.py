"""@mentions: who a text names. `core.html` renders mentions it is given and finds the names
(`extract_mentions`); finding the people is a query on `people`, which sits above core, so it
lives here, with the app that owns mentions (blogs and communities import it too)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.functions import Lower
from django.utils.safestring import SafeString

from core.html import extract_mentions, render_user_text
from people.models import User

__all__ = ["extract_mentions", "mentioned_users", "render_with_mentions"]


def mentioned_users(usernames: Iterable[str]) -> dict[str, User]:
    """The active employees among `usernames`, keyed by lower-cased username (one query)."""
    names = {name.lower() for name in usernames}
    if not names:
        return {}
    people = (
        User.objects.annotate(username_lower=Lower("username"))
        .filter(username_lower__in=names, is_active=True)
        .only("id", "username", "first_name", "last_name", "display_name")
    )
    return {person.username.lower(): person for person in people}


def render_with_mentions(text: str) -> SafeString:
    """`render_user_text` with the people `text` mentions looked up (one query when it
    mentions anyone)."""
    return render_user_text(text, mentioned_users(extract_mentions(text)))
