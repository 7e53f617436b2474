"""Ruche's settings with the channel layer it used before Redis pub/sub, for
`fanout.py --layer lists`: channels_redis's `RedisChannelLayer`, which stores a group message
once per member socket and lets each process pull them back one round trip at a time. Kept to
measure the two layers side by side in one run (docs/benchmarks.md)."""

from ruche.settings import *  # noqa: F403
from ruche.settings import CHANNEL_LAYERS, REDIS_URL

CHANNEL_LAYERS["default"] = {
    "BACKEND": "channels_redis.core.RedisChannelLayer",
    "CONFIG": {
        # redis-py 8 gives up a read after 5 s, exactly channels_redis's blocking wait.
        "hosts": [{"address": REDIS_URL, "socket_timeout": None, "max_connections": 1000}],
        "prefix": CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        "capacity": 1000,
        "expiry": 60,
    },
}
