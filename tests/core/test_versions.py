"""core.versions against the real cache (Redis): a version read once per request, and the
process's own copy of kept entries, both never serving what a write has made stale.

"Another process" is played by writing the version in the cache directly (`cache.incr`), as
a bump in another web process or a Celery worker does: nothing of this process is told."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from core import versions
from core.versions import bump, kept_under, read_versions, versions_memo

pytestmark = pytest.mark.django_db

KEY = "test:version"


class Reads:
    """A `read` for kept_under that counts its calls and returns a fresh list each time."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> list[int]:
        self.calls += 1
        return [self.calls]


def test_in_a_request_a_version_is_read_once_and_its_own_bump_is_seen():
    first = read_versions([KEY])[KEY]
    with versions_memo():
        assert read_versions([KEY])[KEY] == first
        cache.incr(KEY)  # another process's bump, during this request
        assert read_versions([KEY])[KEY] == first  # this request's value holds
        bump(KEY)  # the request's own write
        assert read_versions([KEY])[KEY] == first + 2
    assert read_versions([KEY])[KEY] == first + 2


def test_outside_a_request_every_read_asks_the_cache():
    first = read_versions([KEY])[KEY]
    cache.incr(KEY)
    assert read_versions([KEY])[KEY] == first + 1


def test_the_memo_lasts_one_request(employee):
    client = Client()
    client.force_login(employee)
    assert client.get("/people/").status_code == 200
    assert versions._request_memo.get() is None


def test_a_kept_entry_is_served_from_the_process_until_any_process_bumps():
    reads = Reads()
    assert kept_under("test:entry", [KEY], reads, seconds=60)[0] == [1]
    cache.delete("test:entry")  # the shared copy gone: the process's own serves
    assert kept_under("test:entry", [KEY], reads, seconds=60)[0] == [1]
    assert reads.calls == 1
    cache.incr(KEY)  # another process wrote
    assert kept_under("test:entry", [KEY], reads, seconds=60)[0] == [2]
    assert reads.calls == 2


def test_a_kept_entry_from_another_process_is_taken_under_the_new_version():
    reads = Reads()
    kept_under("test:entry", [KEY], reads, seconds=60)
    cache.incr(KEY)
    stamp = (read_versions([KEY])[KEY],)
    cache.set("test:entry", (stamp, ["from elsewhere"]), 60)  # rebuilt by another process
    assert kept_under("test:entry", [KEY], reads, seconds=60)[0] == ["from elsewhere"]
    assert reads.calls == 1


def test_each_use_gets_its_own_copy():
    reads = Reads()
    kept, _ = kept_under("test:entry", [KEY], reads, seconds=60)
    kept.append("changed by a caller")
    assert kept_under("test:entry", [KEY], reads, seconds=60)[0] == [1]


def test_an_emptied_cache_makes_every_copy_stale():
    reads = Reads()
    kept_under("test:entry", [KEY], reads, seconds=60)
    cache.clear()  # versions gone: new ones are never equal to an old one
    assert kept_under("test:entry", [KEY], reads, seconds=60)[0] == [2]


def test_the_process_copy_expires_with_its_entry(monkeypatch):
    reads = Reads()
    kept_under("test:entry", [KEY], reads, seconds=60)
    cache.delete("test:entry")
    later = versions.time.monotonic() + 61
    monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    assert kept_under("test:entry", [KEY], reads, seconds=60)[0] == [2]


def test_the_process_keeps_a_bounded_number_of_entries(monkeypatch):
    monkeypatch.setattr(versions._LocalEntries, "SIZE", 3)
    local = versions._LocalEntries()
    for number in range(5):
        local.put(f"entry:{number}", (1,), number, 60)
    assert local.get("entry:0") is None and local.get("entry:1") is None
    assert local.get("entry:4") is not None


def test_the_first_read_of_a_request_brings_the_usual_versions_along():
    usual = versions.usual_version("test:usual:version")
    before = read_versions([usual])[usual]
    with versions_memo():
        read_versions([KEY])  # any first read of the request
        cache.incr(usual)  # another process's bump, after that read
        assert read_versions([usual])[usual] == before  # from the same round trip
    assert read_versions([usual])[usual] == before + 1


def test_a_usual_version_never_set_is_made_when_first_asked():
    usual = versions.usual_version("test:usual:absent")
    with versions_memo():
        read_versions([KEY])
        assert cache.get(usual) is None  # fetched along, not created
        made = read_versions([usual])[usual]
        assert made == cache.get(usual)
