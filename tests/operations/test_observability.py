"""Request ids, JSON logs and Sentry: what an operator reads when something goes wrong."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import types

import pytest
import sentry_sdk
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings
from django.urls import path

from operations import requestid
from operations.observability import logging_config, sentry_init


@pytest.fixture
def json_logs():
    """The production logging configuration, its handler writing to a buffer."""
    logging.config.dictConfig(logging_config(log_format="json", level="INFO"))
    (handler,) = logging.getLogger().handlers
    buffer = io.StringIO()
    handler.setStream(buffer)

    def lines() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield lines
    logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_a_request_id_is_generated_and_returned(client):
    response = client.get("/accounts/login/")
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_proxys_request_id_is_honoured_and_a_bad_one_replaced(client):
    assert client.get("/accounts/login/", HTTP_X_REQUEST_ID="edge-42")["X-Request-ID"] == "edge-42"
    injected = client.get("/accounts/login/", HTTP_X_REQUEST_ID="a\r\nSet-Cookie: x" + "y" * 200)
    assert injected["X-Request-ID"] != "a" and len(injected["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_every_log_line_of_a_request_is_json_with_its_request_id(client, json_logs):
    client.get("/accounts/login/", HTTP_X_REQUEST_ID="req-1")
    client.get("/metrics", HTTP_X_REQUEST_ID="req-2")  # 404: no metrics token configured
    lines = json_logs()
    access = [line for line in lines if line["logger"] == "ruche.access"]
    assert [(line["request_id"], line["status"]) for line in access] == [
        ("req-1", 200),
        ("req-2", 404),
    ]
    assert access[0]["view"] == "login" and access[0]["path"] == "/accounts/login/"
    assert {"time", "level", "message", "duration_ms"} <= set(access[0])
    # Django's own "Not Found" warning, written after the middleware returned, has it too.
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and {line["request_id"] for line in not_found} == {"req-2"}


def test_outside_a_request_the_request_id_is_a_dash(json_logs):
    logging.getLogger("ruche.test").warning("beat woke up")
    (line,) = json_logs()
    assert line["request_id"] == "-" and line["message"] == "beat woke up"


def test_celery_tasks_carry_the_request_id_of_the_request_that_queued_them():
    token = requestid.current.set("req-7")
    headers: dict = {}
    before_task_publish.send(sender="notifications.tasks.x", headers=headers, body=())
    requestid.current.reset(token)
    assert headers[requestid.CELERY_HEADER] == "req-7"

    # On the worker: the id is current while the task runs, and forgotten afterwards.
    class Task:  # what Celery's worker hands the signals: the message headers on `request`
        request = types.SimpleNamespace(**headers, headers=None)

    task = Task()
    task_prerun.send(sender=task, task_id="t1", task=task)
    assert requestid.current.get() == "req-7"
    task_postrun.send(sender=task, task_id="t1", task=task)
    assert requestid.current.get() is None


def test_sentry_is_off_without_a_dsn():
    assert sentry_init(dsn="", environment="test", release="", traces_sample_rate=0) is False
    assert sentry_sdk.get_client().dsn is None


@pytest.fixture
def sentry_events():
    events: list[dict] = []

    class Transport(sentry_sdk.transport.Transport):
        def capture_envelope(self, envelope):
            events.extend(item.payload.json for item in envelope.items if item.type == "event")

    assert sentry_init(
        dsn="https://public@sentry.example.com/1",
        environment="test",
        release="r1",
        traces_sample_rate=0,
        transport=Transport,
    )
    yield events
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: off again for the other tests


@pytest.mark.django_db
def test_sentry_events_carry_the_request_id_and_no_personal_data(
    client, employee, sentry_events, settings
):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    client.force_login(employee)

    def failing(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = types.ModuleType("failing_urls")
    settings.ROOT_URLCONF.urlpatterns = [path("fail/", failing, name="failing")]
    response = client.post("/fail/", {"body": "Mon texte privé"}, HTTP_X_REQUEST_ID="req-s")
    assert response.status_code == 500
    sentry_sdk.flush()
    (event,) = [e for e in sentry_events if e.get("exception")]
    assert event["tags"]["request_id"] == "req-s"
    assert event["release"] == "r1"
    text = json.dumps(event)
    assert "Mon texte privé" not in text
    assert employee.username not in text and employee.email not in text
    assert "sessionid" not in text
