"""The blogs' contribution to the home feed, now declared with the "post" kind (blogs.content).

Kept so that core.feed's FEED_SOURCES path still resolves until core.feed loops over
`core.content.feed_sources()`; then this module goes.
"""

from __future__ import annotations

from blogs.content import FEED_TEMPLATE as TEMPLATE
from blogs.content import PostFeedSource

__all__ = ["TEMPLATE", "PostFeedSource"]
