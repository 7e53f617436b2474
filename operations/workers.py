"""The gunicorn worker of the production image: uvicorn, with a bound on concurrent requests.

Without a bound an overloaded worker accepts every connection and every request slows down
together (writes included). With `limit_concurrency`, past RUCHE_WORKER_CONCURRENCY connections
and tasks in flight a worker answers 503 at once, and the others keep their latency.
Default 100 per worker for the web service; the websocket service (docker-compose.yml, `ws`)
holds one connection per open page, so it sets a larger bound.

Websocket frames are sent without per-message compression (see below); without a compression
oracle, the CSRF token of a live reply can also be masked once per socket
(communities.live_render).
"""

from __future__ import annotations

import os
from typing import Any

from uvicorn_worker import UvicornWorker

DEFAULT_CONCURRENCY = 100


class BoundedUvicornWorker(UvicornWorker):
    CONFIG_KWARGS: dict[str, Any] = {
        **UvicornWorker.CONFIG_KWARGS,
        "limit_concurrency": int(
            os.environ.get("RUCHE_WORKER_CONCURRENCY", "") or DEFAULT_CONCURRENCY
        ),
        # Websocket frames go out uncompressed: deflating each frame once per open socket
        # was 8 % of a web process's time when a reply reached 1,000 pages (the frames are
        # a few kilobytes of HTML on the company's own network).
        "ws_per_message_deflate": False,
    }
