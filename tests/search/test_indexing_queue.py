"""Search indexing leaves the request: a save queues `document_refresh` on commit and a worker
indexes the object; only when the broker cannot be reached is it indexed in the request.

Real brokers, never a mock: the test Redis (a database of its own, emptied first) and a closed
port. The queued message is read back from Redis and run as a worker runs it.
"""

from __future__ import annotations

import base64
import json

import pytest
import redis
from django.conf import settings
from search.indexing import document_refresh, indexing_paused, reindex
from search.models import SearchDocument
from search.selectors import Filters, search

from blogs import services as blog_services
from interactions.services import comment_create
from tests.brokers import DEAD_BROKER, tasks_published_to

pytestmark = pytest.mark.django_db
REFRESH = "search.indexing.document_refresh"


@pytest.fixture
def redis_broker():
    """Tasks are published to a Redis database of their own instead of running eagerly."""
    url = settings.REDIS_URL.rsplit("/", 1)[0] + "/14"
    client = redis.Redis.from_url(url)
    client.flushdb()
    with tasks_published_to(url):
        yield client
    client.flushdb()


@pytest.fixture
def broker_down():
    with tasks_published_to(DEAD_BROKER):
        yield


def _queued_refreshes(client) -> list[list]:
    """The arguments of every `document_refresh` message waiting in the default queue."""
    found = []
    for raw in client.lrange("celery", 0, -1):
        message = json.loads(raw)
        if message["headers"]["task"] == REFRESH:
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            found.append(args)
    return found


def _found(user, word: str) -> set[str]:
    return {r.kind for r in search(user=user, filters=Filters(query=word)).results}


def _comment(capture, author, colleague, body):
    with capture(execute=True):
        post = blog_services.post_create(
            actor=colleague, title="Billet du jour", body="Bonjour.", publish=True
        )
        return comment_create(author=author, target=post, body=body)


def test_a_comment_is_indexed_by_the_worker_not_the_request(
    redis_broker, django_capture_on_commit_callbacks, employee, colleague
):
    comment = _comment(
        django_capture_on_commit_callbacks, employee, colleague, "Un commentaire quetzal"
    )
    # Committed and queued, not yet indexed: the request did not do it.
    assert _found(colleague, "quetzal") == set()
    queued = _queued_refreshes(redis_broker)
    assert ["interactions.Comment", comment.pk] in queued

    for args in queued:  # as the worker runs them, twice (a re-delivery changes nothing)
        document_refresh.apply(args=args)
        document_refresh.apply(args=args)
    assert _found(colleague, "quetzal") == {"comment"}
    assert SearchDocument.objects.filter(kind="comment", object_id=comment.pk).count() == 1


def test_with_the_broker_down_the_request_indexes_it(
    broker_down, django_capture_on_commit_callbacks, employee, colleague
):
    comment = _comment(
        django_capture_on_commit_callbacks, employee, colleague, "Un commentaire ocelot"
    )
    assert comment.pk is not None
    assert _found(colleague, "ocelot") == {"comment"}


def test_saves_while_indexing_is_paused_wait_for_the_rebuild(
    redis_broker, django_capture_on_commit_callbacks, employee, colleague
):
    with indexing_paused():
        comment = _comment(
            django_capture_on_commit_callbacks, employee, colleague, "Un commentaire axolotl"
        )
    assert _queued_refreshes(redis_broker) == []  # nothing queued ...
    assert _found(colleague, "axolotl") == set()  # ... nor indexed
    reindex()
    assert _found(colleague, "axolotl") == {"comment"}
    assert SearchDocument.objects.filter(kind="comment", object_id=comment.pk).count() == 1
