"""With Redis unreachable, pages still serve from PostgreSQL; the cache comes back by itself.

A real unreachable Redis (a closed port) and a real throw-away redis-server, never a mock.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from blogs import services as blog_services
from communities.models import AccessMode, Role
from interactions.models import Comment
from tests.communities.factories import CommunityFactory, MembershipFactory, ThreadFactory

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")
DEAD_REDIS = "redis://127.0.0.1:1/0"  # port 1: nothing listens, connections are refused


def _redis_settings(settings, url: str, breaker: float = 5.0) -> None:
    """The project's cache and channel layer (its connection options when REDIS_URL is set),
    on `url`."""
    configured = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts") or [{}]
    base_host = configured[0]
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ruche-faults-test",
            "OPTIONS": {"breaker_seconds": breaker},
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{**base_host, "address": url}]},
        }
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()


@pytest.fixture
def post(employee):
    blog_services.blog_ensure(actor=employee)
    return blog_services.post_create(
        actor=employee, title="Sans cache", body="Le billet se lit quand même.", publish=True
    )


@pytest.fixture
def thread(colleague, employee):
    community = CommunityFactory(
        access=AccessMode.OPEN, slug="club", name="Club", created_by=colleague
    )
    MembershipFactory(community=community, user=colleague, role=Role.MANAGER)
    MembershipFactory(community=community, user=employee)
    return ThreadFactory(community=community, author=colleague)


@pytest.fixture
def redis_down(settings):
    _redis_settings(settings, DEAD_REDIS)
    yield


def test_the_daily_pages_answer_with_redis_down(
    redis_down, client, employee, password, post, thread
):
    # Signing in writes the session (cached_db: the database, then the dead cache).
    response = client.post(reverse("login"), {"username": employee.username, "password": password})
    assert response.status_code == 302
    for url in ("/", post.url, thread.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    # A write: the comment is saved, its live broadcast and cache invalidation fail quietly.
    response = client.post(
        reverse("interactions:comment_create", args=("post", post.pk)), {"body": "Sans Redis"}
    )
    assert response.status_code == 302
    assert Comment.objects.filter(body__contains="Sans Redis").exists()
    # The session survived in the database: still signed in on the next page.
    assert client.get("/").status_code == 200
    assert "_auth_user_id" in client.session


def test_a_dead_cache_is_a_miss_not_an_error(redis_down):
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is True  # "was absent": callers fall through to the database
    assert cache.incr("k") == 1
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.has_key("k") is False
    cache.set("k", 1)
    cache.delete("k")


def test_the_breaker_skips_redis_while_open(redis_down):
    cache.get("k")  # fails once, opens the breaker
    assert cache.is_available() is False
    started = time.monotonic()
    for _ in range(1000):
        cache.get("k")
    assert time.monotonic() - started < 0.5  # no connection attempt per call


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_redis(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(REDIS_SERVER), "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.skipif(REDIS_SERVER is None, reason="needs redis-server")
def test_redis_stopped_then_restarted_the_cache_comes_back_by_itself(
    settings, client, employee, password, post
):
    port = _free_port()
    _redis_settings(settings, f"redis://127.0.0.1:{port}/0", breaker=0.3)
    server = _start_redis(port)
    try:
        cache.set("alive", 1)
        assert cache.get("alive") == 1
        _stop(server)

        # Down: misses, and the pages and sign-in still answer.
        assert cache.get("alive") is None
        assert cache.is_available() is False
        response = client.post(
            reverse("login"), {"username": employee.username, "password": password}
        )
        assert response.status_code == 302
        assert client.get(post.url).status_code == 200

        # Back (an empty Redis, as after a restart without persistence): after the breaker's
        # pause the same process uses it again, no restart of Django.
        server = _start_redis(port)
        time.sleep(0.4)
        cache.set("alive", 2)
        assert cache.get("alive") == 2
        assert cache.is_available() is True
        assert client.get(post.url).status_code == 200
    finally:
        if server.poll() is None:
            _stop(server)
