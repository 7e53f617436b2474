"""The home feed: what the signed-in employee sees first.

Sources register here (blogs: newest posts from followed people and leaders; communities:
activity of your communities). Each source applies its own visibility selectors.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def home_feed_context(request: HttpRequest) -> dict[str, Any]:
    return {"feed_items": []}
