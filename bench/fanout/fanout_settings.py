"""Ruche's settings with the channel layer tuned as docs/benchmarks.md recommends.

Used by `fanout.py --tuned-layer N` to measure the recommended production setting before the
platform adopts it:
- redis-py 8 reads with a 5 s `socket_timeout` by default, the same length as channels_redis's
  blocking BZPOPMIN: under load the client gives up first and the consumer dies with
  `TimeoutError: Timeout reading from ...` (django/channels_redis#422, redis/redis-py#4091);
  `socket_timeout: None` restores the old behaviour;
- redis-py's asyncio pool allows 100 connections per process and raises instead of waiting
  when hundreds of sockets join or leave groups at once: `max_connections` sizes it.
"""

import os

from ruche.settings import *  # noqa: F403
from ruche.settings import CHANNEL_LAYERS, REDIS_URL

CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [
    {
        "address": REDIS_URL,
        "socket_timeout": None,
        "max_connections": int(os.environ["RUCHE_BENCH_REDIS_POOL"]),
    }
]
