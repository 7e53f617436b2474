"""The main navigation: one list, each entry with the permission that shows it.

It names every app's index page, so it lives in the top layer (ruche), not in core."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from blogs.permissions import can_open_cockpit
from people.generation import people_generation
from people.permissions import can_use_admin, can_view_metrics
from roi.permissions import can_view_worksheet


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str  # a URL name, or a literal path starting with /
    visible: Callable = lambda user: True


def _opens_own_cockpit(user) -> bool:
    return can_open_cockpit(user, user)


NAV_ITEMS = [
    NavItem("home", _("Home"), "/"),
    NavItem("blogs", _("Blogs"), "blogs:index"),
    NavItem("communities", _("Communities"), "communities:index"),
    NavItem("announcements", _("Announcements"), "announcements:index"),
    NavItem("ama", _("Ask me anything"), "ama:index"),
    NavItem("people", _("People"), "people:directory"),
    NavItem("metrics", _("Metrics"), "metrics:dashboard", can_view_metrics),
    NavItem("roi", _("ROI"), "roi:worksheet", can_view_worksheet),
    NavItem("cockpit", _("My cockpit"), "leadership:cockpit", _opens_own_cockpit),
    NavItem("governance", _("Governance"), "governance:index"),
    NavItem("admin", _("Admin"), "wagtailadmin_home", can_use_admin),
]


_BY_KEY = {item.key: item for item in NAV_ITEMS}
NAV_CACHE_SECONDS = 60 * 60


def _visible_entries(user) -> list[tuple[str, str]]:
    """(key, URL) of the entries `user` sees. Every rule above reads only the person and the
    departments they head, so the list is kept under the people generation (people.generation:
    bumped by any change of a person or a department) rather than asked again, with a query,
    on every page."""
    key = f"nav:{user.pk}:{get_language()}:{people_generation()}"
    entries = cache.get(key)
    if entries is None:
        entries = [
            (item.key, item.url_name if item.url_name.startswith("/") else reverse(item.url_name))
            for item in NAV_ITEMS
            if item.visible(user)
        ]
        cache.set(key, entries, NAV_CACHE_SECONDS)
    return entries


def nav_for(user, current_path: str) -> list[dict]:
    items = []
    for key, url in _visible_entries(user):
        current = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"key": key, "label": _BY_KEY[key].label, "url": url, "current": current})
    return items
