"""Keeping the search documents in step with the content.

Every save of a searchable model (a post published or edited, a thread, a comment, a
community, a person) re-indexes that object once its transaction commits; a delete removes
its document. The receivers are connected for the models the registry names
(`search.sources`), so a new searchable kind needs nothing here. Only words are indexed:
visibility is applied at search time by the owning app's selector (see `search.models`), which
is why a hide, a membership change or an unpublish needs no re-indexing.

The object is read again from the database, not taken from the signal: Wagtail saves a page
instance that holds a draft's text while the row keeps the published one. It is read by a
Celery task queued on commit (`document_refresh`), not in the request: indexing a comment
reads it and its conversation again and writes the document and its vectors, which doubled
the time of posting a comment. The task is idempotent (it indexes the object as it is when it
runs), so a re-delivery after a worker died changes nothing. When the broker cannot be reached
the document is indexed in the request as before: slower, never missing. A bulk writer that
rebuilds the index once at the end (the demo seed) saves inside `indexing_paused()`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import islice
from typing import Any

from celery import shared_task
from django.apps import apps
from django.contrib.postgres.search import SearchVector
from django.db import OperationalError, connection, models, transaction
from django.db.models.signals import post_delete, post_save

from search.models import SearchDocument
from search.sources import Source, sources
from search.text import fold

FRENCH = "ruche_french"
ENGLISH = "ruche_english"
BATCH = 500
URL_MAX = SearchDocument._meta.get_field("url").max_length or 500

logger = logging.getLogger(__name__)
_paused: ContextVar[bool] = ContextVar("search_indexing_paused", default=False)


@contextmanager
def indexing_paused() -> Iterator[None]:
    """Saves and deletes inside index nothing and queue nothing: for a bulk writer that calls
    `reindex()` when it is done (thousands of saves, one rebuild of a few queries per
    `BATCH` objects, instead of a task each)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def vector_expression() -> Any:
    """Title (weight A) and text (B), stemmed as French and as English, without accents."""
    return (
        SearchVector("title", config=FRENCH, weight="A")
        + SearchVector("title", config=ENGLISH, weight="A")
        + SearchVector("body", config=FRENCH, weight="B")
        + SearchVector("body", config=ENGLISH, weight="B")
    )


def full_text() -> bool:
    return connection.vendor == "postgresql"


def _document(source: Source, obj: Any) -> SearchDocument:
    text = source.search.text(obj)
    return SearchDocument(
        kind=source.key,
        object_id=obj.pk,
        title=text.title,
        body=text.body,
        folded_title=fold(text.title),
        folded_body=fold(text.body),
        url=source.url(obj)[:URL_MAX],
        date=text.date,
        author_id=text.author_id,
        community_id=text.community_id,
    )


def _set_vectors(ids: list[int]) -> None:
    if ids and full_text():
        SearchDocument.objects.filter(pk__in=ids).update(vector=vector_expression())


def document_update(model: type[models.Model], pk: int) -> None:
    """Index (or un-index) the object `pk` of `model` under whichever kind it is now."""
    for source in sources():
        if source.model is not model:
            continue
        obj = source.load(pk)
        if obj is None:
            SearchDocument.objects.filter(kind=source.key, object_id=pk).delete()
            continue
        document = _document(source, obj)
        saved, _created = SearchDocument.objects.update_or_create(
            kind=source.key,
            object_id=pk,
            defaults={
                f.attname: getattr(document, f.attname)
                for f in SearchDocument._meta.concrete_fields
                if f.attname not in ("id", "kind", "object_id", "vector")
            },
        )
        _set_vectors([saved.pk])


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def document_refresh(label: str, pk: int) -> None:
    """`document_update` for the model named `label` ("app_label.ModelName"), in a worker."""
    document_update(apps.get_model(label), pk)


def document_refresh_later(model: type[models.Model], pk: int) -> None:
    """Queue `document_refresh`; index now if the broker cannot take it (call after commit)."""
    try:
        document_refresh.delay(model._meta.label, pk)
    except Exception:
        logger.warning("search: broker unreachable, indexing %s %s in the request", model, pk)
        document_update(model, pk)


def document_remove(model: type[models.Model], pk: int) -> None:
    keys = [s.key for s in sources() if s.model is model]
    SearchDocument.objects.filter(kind__in=keys, object_id=pk).delete()


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def reindex(keys: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the documents of these kinds (every kind by default), in batches: a few queries
    per `BATCH` objects. Returns how many documents each kind now has."""
    wanted = set(keys) if keys is not None else None
    counts: dict[str, int] = {}
    for source in sources():
        if wanted is not None and source.key not in wanted:
            continue
        with transaction.atomic():
            SearchDocument.objects.filter(kind=source.key).delete()
            total = 0
            for chunk in _chunks(source.search.objects().iterator(chunk_size=BATCH), BATCH):
                documents = SearchDocument.objects.bulk_create(
                    [_document(source, obj) for obj in chunk]
                )
                _set_vectors([d.pk for d in documents])
                total += len(documents)
        counts[source.key] = total
    return counts


# --- Receivers ----------------------------------------------------------------------------------


def _changes_text(instance: models.Model, update_fields: Any) -> bool:
    if update_fields is None:
        return True
    fields = set(update_fields)
    return any(fields & s.search.text_fields for s in sources() if isinstance(instance, s.model))


def _saved(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _paused.get() or kwargs.get("raw"):
        return
    if not _changes_text(instance, kwargs.get("update_fields")):
        return
    model, pk = _indexed_model(instance), instance.pk
    transaction.on_commit(lambda: document_refresh_later(model, pk))


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _paused.get():
        return
    model, pk = _indexed_model(instance), instance.pk
    transaction.on_commit(lambda: document_remove(model, pk))


def _indexed_model(instance: models.Model) -> type[models.Model]:
    return next(s.model for s in sources() if isinstance(instance, s.model))


def connect() -> None:
    """Listen to saves and deletes of every searchable model (from `SearchConfig.ready`)."""
    for model in {s.model for s in sources()}:
        uid = f"search:{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
