"""The site header's menu for a signed-in reader, rendered once per state.

Every page shows it: the main navigation (the entries the reader may open, the current one),
the search box, the unread notifications badge, the language switcher and the reader's name.
It is kept in the cache (`core.rendering.reader_fragment`) under everything it shows: the
people generation (the reader's name and every rule of the navigation read only people and
departments, `ruche.navigation`), the unread count (kept up to date by
`notifications.services`), the search box's query, and, added by `reader_fragment`, the
reader, their account's flags, the page's address (the current entry, the language
switcher's way back), the language and the templates. Both values are read in one cache
round trip; on a hit the menu costs no template rendering.

`menu_state` is also the layout's part of the key of pages kept whole
(`core.rendering.reader_page`, `RUCHE_LAYOUT_STATE`): the values are read once per request,
so a page kept under them shows exactly them.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from core.rendering import reader_fragment
from core.types import AuthenticatedRequest
from core.versions import read_versions
from notifications.selectors import unread_cache_key, unread_count
from people.generation import GENERATION_KEY
from ruche.navigation import NAV_CACHE_SECONDS, nav_for

MENU_TEMPLATE = "core/includes/site_menu.html"
# What site_menu.html includes: part of the key.
MENU_TEMPLATES = (
    MENU_TEMPLATE,
    "core/includes/search_box.html",
    "notifications/includes/header_link.html",
)


def menu_state(request: AuthenticatedRequest) -> tuple[int, int]:
    """(people generation, unread count) for the request's reader, read once per request."""
    state: tuple[int, int] | None = getattr(request, "_ruche_menu_state", None)
    if state is None:
        user_id = request.user.pk
        unread_key = unread_cache_key(user_id)
        found = read_versions([GENERATION_KEY], also=(unread_key,))
        unread = found[unread_key]
        if unread is None:  # expired or never counted: one indexed count, kept again
            unread = unread_count(user_id)
        state = request._ruche_menu_state = (found[GENERATION_KEY], unread)  # type: ignore[attr-defined]
    return state


def site_menu(request: AuthenticatedRequest, *, search_query: str = "") -> SafeString:
    user = request.user
    generation, unread = menu_state(request)

    def context() -> dict[str, Any]:
        return {
            "nav_items": nav_for(user, request.path),
            "unread": unread,
            "search_query": search_query,
        }

    state = (generation, unread, search_query)
    return reader_fragment(request, MENU_TEMPLATES, state, context, seconds=NAV_CACHE_SECONDS)
