import pytest

from core import health
from tests.conftest import needs_redis


@pytest.mark.django_db
def test_healthz_reports_every_service_and_is_public(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert set(body["checks"]) == {"database", "cache", "channel_layer", "broker"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_healthz_returns_503_and_names_the_failed_service(client, monkeypatch):
    def broken_broker():
        raise ConnectionRefusedError("broker down")

    monkeypatch.setitem(health.CHECKS, "broker", broken_broker)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"] == {"ok": False, "error": "ConnectionRefusedError"}
    assert body["checks"]["database"] == {"ok": True}


@pytest.mark.django_db
def test_healthz_detects_an_unreachable_cache(client, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    # A real Redis cache client pointed at a port where nothing listens.
    unreachable = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})
    monkeypatch.setattr(health, "cache", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]


@needs_redis
async def test_the_channel_layer_probe_leaves_no_subscription_behind():
    """In a web process the probe runs on the server's event loop, where the pub/sub layer
    keeps every channel subscribed until a receive on it is cancelled: 100 probes must leave
    the process's subscriptions as they were."""
    from asgiref.sync import sync_to_async
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    await sync_to_async(health.check_channel_layer)()  # opens the loop's connection
    loop_layer = layer._get_layer()
    before = set(loop_layer.channels)
    for _ in range(100):
        await sync_to_async(health.check_channel_layer)()
    assert set(loop_layer.channels) == before
    assert not {c for c in loop_layer._shards[0]._subscribed_to if "healthz." in c}
