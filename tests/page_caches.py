"""Helpers of the tests of pages kept in the cache: a reader signed in, and a page visited
twice, the second time without reading the rows it was made from."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def without_tokens(html: str) -> str:
    """`html` with each CSRF token replaced by the same word: two readers' pages compare."""
    return TOKEN.sub(r"\1TOKEN\2", html)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def kept_without_reading(visit: Callable[[], str], tables: tuple[str, ...]) -> str:
    """The page `visit()` returns, visited twice: the same both times, and the second visit
    reads none of `tables` and at most one more query (the session's user)."""
    built = visit()
    with CaptureQueriesContext(connection) as again:
        kept = visit()
    assert kept == built
    sql = " ".join(query["sql"] for query in again)
    for table in tables:
        assert f'"{table}"' not in sql, table
    assert len(again) <= 2
    return kept
