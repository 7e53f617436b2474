"""Template helpers of ask-me-anything pages."""

from __future__ import annotations

from typing import Any

from django import template

from ama import selectors
from ama.models import Question

register = template.Library()


@register.simple_tag(takes_context=True)
def author_label(context: dict[str, Any], question: Question, names: bool) -> str:
    """Who asked, as this reader may know it (selectors.author_label)."""
    return selectors.author_label(question, context["request"].user, names=names)
