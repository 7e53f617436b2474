from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from ruche.header import site_menu as render_site_menu

register = template.Library()


@register.simple_tag(takes_context=True)
def site_menu(context: Any) -> SafeString:
    """The header's menu for the signed-in reader (`ruche.header`)."""
    return render_site_menu(context["request"], search_query=context.get("search_query") or "")
