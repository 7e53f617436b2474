"""The governance sub-navigation: the kernel's sections and those the console adds.

The kernel cannot name the console (it sits above it), so the console registers its sections
from its `AppConfig.ready()`; `governance_tags.governance_nav` shows, in order, those the
person may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from governance import permissions


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int  # position in the menu, lowest first


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add (or replace, by key) a section of the governance menu."""
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


register_section(
    Section("charter", _("Charter"), "governance:charter", permissions.can_accept_charter, 10)
)
register_section(
    Section("audit", _("Audit log"), "governance:audit_log", permissions.can_view_audit_log, 50)
)
