"""The Prometheus endpoint: behind a bearer token; requests, latency, queue, websockets."""

from __future__ import annotations

import pytest
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator

from operations.instruments import WEBSOCKETS
from operations.middleware import WebsocketGauge

TOKEN = "s3cret-metrics-token"


@pytest.fixture
def token(settings):
    settings.RUCHE_METRICS_TOKEN = TOKEN
    return TOKEN


@pytest.mark.django_db
def test_the_endpoint_does_not_exist_without_a_token_configured(client):
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.django_db
def test_no_or_wrong_credentials_are_refused(client, token):
    missing = client.get("/metrics")
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401


@pytest.mark.django_db
def test_a_scrape_reports_requests_latency_by_view_and_the_celery_queue(client, token):
    client.get("/accounts/login/")
    client.get("/accounts/login/")
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'ruche_http_requests_total{method="GET",status="200",view="login"}' in text
    assert 'ruche_http_request_duration_seconds_bucket{le="0.1",view="login"}' in text
    assert 'ruche_celery_queue_length{queue="celery"}' in text
    assert "ruche_celery_broker_up 1.0" in text
    assert "ruche_websocket_connections" in text


class Echo(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()


class Refuse(AsyncWebsocketConsumer):
    async def connect(self):
        await self.close(code=4403)


# Channels' consumers close stale database connections around each message: allow the database.
@pytest.mark.django_db
async def test_the_websocket_gauge_counts_open_sockets_only():
    before = WEBSOCKETS._value.get()
    first = WebsocketCommunicator(WebsocketGauge(Echo.as_asgi()), "/ws/x/")
    assert (await first.connect())[0]
    assert WEBSOCKETS._value.get() == before + 1
    refused = WebsocketCommunicator(WebsocketGauge(Refuse.as_asgi()), "/ws/y/")
    assert not (await refused.connect())[0]
    assert WEBSOCKETS._value.get() == before + 1
    await first.disconnect()
    assert WEBSOCKETS._value.get() == before


def test_the_project_counts_its_websockets():
    from ruche.asgi import application

    assert isinstance(application.application_mapping["websocket"], WebsocketGauge)
