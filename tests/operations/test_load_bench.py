"""The load benchmark's own machinery (bench/load/run.py, seed.py) at tiny scale: what it
seeds signs employees in and lets them read every daily page and write, CSRF enforced, and
wrk's result line is read back into the table. The load itself is measured by running the
benchmark (docs/benchmarks.md), never in a test."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from django.test import Client

from interactions.models import Comment

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load"
sys.path.insert(0, str(BENCH))  # run.py imports its sibling loadserver.py


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_load_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


load_run, load_seed = _load("run"), _load("seed")


def _client(person: dict[str, str]) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = person["session"]
    client.cookies["csrftoken"] = person["csrf"]
    return client


@pytest.mark.django_db
def test_own_seed_signs_in_readers_and_writers_who_read_every_page_and_write():
    plan = load_seed.seed_own(people=4, posts=2, communities_count=1, comments=1)
    assert set(plan["pages"]) == set(load_run.PAGES)
    reader = _client(plan["readers"][0])
    for name, path in plan["pages"].items():
        assert reader.get(path).status_code == 200, name
    assert reader.get("/blogs/").wsgi_request.user.username == plan["readers"][0]["user"]

    writer = _client(plan["writers"][-1])
    before = Comment.objects.count()
    for path in plan["writes"].values():
        answer = writer.post(
            path, {"body": "Bench"}, HTTP_ACCEPT="application/json",
            HTTP_X_CSRFTOKEN=plan["writers"][-1]["csrf"],
        )  # fmt: skip
        assert answer.status_code == 201, answer.content
    assert Comment.objects.count() == before + 2
    # Without the token the same POST is refused: the benchmark's writes pass the real check.
    refused = writer.post(
        plan["writes"]["comment on a post"], {"body": "x"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 403


def test_lua_script_and_specs_carry_the_session_csrf_and_unique_bodies():
    person = {"user": "a", "session": "s3ss", "csrf": "t" * 32}
    pages = load_run.page_specs(["/", "/blogs/é/"], [person])
    writes = load_run.write_specs("/interactions/post/1/comments/", [person], "Merci !")
    script = load_run.lua_script(pages + writes, delay_ms=500)
    assert '"/blogs/%C3%A9/"' in script
    assert '["Cookie"] = "sessionid=s3ss; csrftoken=' + "t" * 32 + '"' in script
    assert '["X-CSRFToken"] = "' + "t" * 32 + '"' in script
    assert 'body = "body=Merci%20%21", unique = true' in script
    assert "local delay_ms = 500" in script


def test_wrk_line_is_parsed_and_unexpected_answers_are_errors():
    data = {
        "requests": 300, "duration_us": 30_000_000, "connect": 0, "read": 1, "write": 0,
        "timeout": 2, "p50_us": 12_500, "p95_us": 40_000, "p99_us": 91_000, "max_us": 99_000,
        "statuses": {"200": 295, "302": 2},
    }  # fmt: skip
    output = "Running 30s test\n  2 threads\nWRK " + json.dumps(data) + "\n"
    result = load_run.parse_wrk("page: home", output, expected=200)
    assert (result.requests, result.rps, result.p95_ms, result.errors) == (300, 10.0, 40.0, 5)
    write = load_run.Result("write: reply", 10, 30.0, 100.0, 140.0, 150.0, 0)
    printed = load_run.table([result, write], reference_rps=50.0).splitlines()
    assert printed[1].split()[-1] == "0.20"  # home's ratio to the trivial view
    assert printed[2].split()[-1] == "0"  # a write has no ratio: its last column is errors
    markdown = load_run.table([result], reference_rps=50.0, markdown=True).splitlines()
    assert markdown[2] == "| page: home | 300 | 10.0 | 12 | 40 | 91 | 5 | 0.20 |"
    with pytest.raises(ValueError, match="no result line"):
        load_run.parse_wrk("page: home", "unable to connect", expected=200)


def test_rounds_give_each_page_the_median_of_its_ratios_to_the_trivial_views_around_it():
    def result(name: str, requests: int):
        return load_run.Result(name, requests, 10.0, 1.0, 2.0, 3.0, 0)

    results = [
        result("trivial view (round 1)", 4000), result("page: post (round 1)", 1800),
        result("trivial view (round 2)", 2000), result("page: post (round 2)", 1000),
        result("trivial view (round 3)", 6000), result("page: post (round 3)", 1000),
        result("trivial view (round 4)", 4000),  # closes round 3
        result("trivial view (again, at the end)", 9999),  # not a round: not counted
    ]  # fmt: skip
    rows = load_run.round_table(results, markdown=True).splitlines()
    # 1800 / 3000, 1000 / 4000, 1000 / 5000: each to the trivial views before and after it.
    assert rows[2] == "| page: post | 0.25 | 0.20 | 0.60 |"
