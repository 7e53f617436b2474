"""Rollups replace, never add: twice, after a crash, and for late events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from activity.models import DirtyDay, ParticipationEvent, Verb
from activity.services import event_record
from metrics import rollups, snapshots
from metrics.models import (
    ActivityDay,
    CommunitySnapshot,
    ConversationTurn,
    InteractionDay,
    LeaderViewDay,
    RolledDay,
    ScopeDay,
    Turn,
)
from metrics.services import metrics_refresh
from tests.metrics.factories import at, event

TABLES = [
    ActivityDay,
    InteractionDay,
    LeaderViewDay,
    ConversationTurn,
    ScopeDay,
    CommunitySnapshot,
]


def dump() -> dict[str, list[tuple]]:
    """Every rollup and snapshot row, without ids: what the dashboards read."""
    out = {}
    for model in TABLES:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        out[model.__name__] = sorted(
            model.objects.values_list(*names), key=lambda row: [str(v) for v in row]
        )
    return out


def wipe() -> None:
    for model in [*TABLES, RolledDay, CommunitySnapshot]:
        model.objects.all().delete()


def test_running_twice_gives_identical_rows(org):
    since = org.day - timedelta(days=45)
    metrics_refresh(since=since, until=org.day)
    first = dump()
    assert first["ScopeDay"]
    metrics_refresh(since=since, until=org.day)
    assert dump() == first


def test_a_crash_during_rollups_then_a_rerun_gives_the_same_numbers(org, monkeypatch):
    since = org.day - timedelta(days=45)
    metrics_refresh(since=since, until=org.day)
    expected = dump()
    wipe()

    real = rollups._insert_turns
    calls = {"n": 0}

    def dies_on_the_second_span(events, executives):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(events, executives)

    monkeypatch.setattr(rollups, "_insert_turns", dies_on_the_second_span)
    with pytest.raises(RuntimeError):
        metrics_refresh(since=since, until=org.day)
    # The first span (31 days) is committed, the second rolled back as a whole.
    assert RolledDay.objects.count() == rollups.SPAN_DAYS
    assert not ActivityDay.objects.filter(day__gt=since + timedelta(days=30)).exists()
    monkeypatch.setattr(rollups, "_insert_turns", real)
    metrics_refresh(until=org.day)  # the nightly job: resumes where it stopped
    assert dump() == expected


def test_a_crash_during_snapshots_then_a_rerun_gives_the_same_numbers(org, monkeypatch):
    since = org.day - timedelta(days=45)
    metrics_refresh(since=since, until=org.day)
    expected = dump()
    wipe()

    real = snapshots.snapshot_day
    dying_day = org.day - timedelta(days=10)

    def dies(day, *args, **kwargs):
        if day == dying_day:
            raise RuntimeError("worker killed")
        return real(day, *args, **kwargs)

    monkeypatch.setattr(snapshots, "snapshot_day", dies)
    with pytest.raises(RuntimeError):
        metrics_refresh(since=since, until=org.day)
    assert not ScopeDay.objects.filter(day__gte=dying_day).exists()
    monkeypatch.setattr(snapshots, "snapshot_day", real)
    assert metrics_refresh(until=org.day) == []  # nothing left to roll up, snapshots resume
    assert dump() == expected


def test_a_late_event_marks_its_day_and_only_that_day_is_rolled_again(rolled):
    before = ScopeDay.objects.get(day=rolled.day, department_id__isnull=True)
    late_day = rolled.day - timedelta(days=3)
    # a3, so far only a reader, comments on a post: a back-dated import.
    event_record(
        actor=rolled.a3, verb=Verb.COMMENTED, target_user=rolled.a1, occurred_at=at(late_day)
    )
    assert DirtyDay.objects.filter(day=late_day).exists()
    assert metrics_refresh(until=rolled.day) == [late_day]
    after = ScopeDay.objects.get(day=rolled.day, department_id__isnull=True)
    assert (before.engaged, after.engaged) == (4, 5)
    assert (before.contributors, after.contributors) == (3, 4)
    assert not DirtyDay.objects.exists()


def test_a_crash_while_late_events_are_rolled_up_leaves_the_later_windows_to_do(
    rolled, monkeypatch
):
    """The snapshots of the days after a late event (their windows contain it) are marked in
    the same transaction as its day's rollup: a crash half-way through them leaves the rest."""
    late_day = rolled.day - timedelta(days=20)
    event_record(
        actor=rolled.a3, verb=Verb.COMMENTED, target_user=rolled.a1, occurred_at=at(late_day)
    )
    real = snapshots.snapshot_day
    dying_day = rolled.day - timedelta(days=8)

    def dies(day, *args, **kwargs):
        if day == dying_day:
            raise RuntimeError("worker killed")
        return real(day, *args, **kwargs)

    monkeypatch.setattr(snapshots, "snapshot_day", dies)
    with pytest.raises(RuntimeError):
        metrics_refresh(until=rolled.day)
    monkeypatch.setattr(snapshots, "snapshot_day", real)
    assert not DirtyDay.objects.exists()  # the late day itself is rolled up
    assert metrics_refresh(until=rolled.day) == []  # nothing to roll up; snapshots resume
    resumed = dump()
    wipe()
    metrics_refresh(since=rolled.day - timedelta(days=45), until=rolled.day)
    assert resumed == dump()
    assert ScopeDay.objects.get(day=rolled.day, department_id__isnull=True).contributors == 4


def test_a_day_rolled_before_it_is_over_is_rolled_again(rolled):
    """ "Recompute now" rolls today up; events of today written afterwards are not late
    events, so the next run rolls today again."""
    today = timezone.localdate()
    metrics_refresh(until=today)
    assert not RolledDay.objects.get(day=today).complete
    assert today in rollups.pending_days(today)
    assert rolled.day not in rollups.pending_days(today)


def test_future_days_and_inverted_ranges_are_refused_and_nothing_is_written(org):
    from metrics.services import MetricsInputError

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(MetricsInputError):
        metrics_refresh(until=tomorrow)
    with pytest.raises(MetricsInputError):
        metrics_refresh(since=org.day, until=org.day - timedelta(days=1))
    with translation.override("en"), pytest.raises(CommandError, match="in the future"):
        call_command("compute_metrics", "--until", tomorrow.isoformat())
    assert not RolledDay.objects.exists()
    assert not ScopeDay.objects.exists()


def test_an_event_of_today_does_not_mark_a_dirty_day(employee):
    event_record(actor=employee, verb=Verb.POSTED)
    assert not DirtyDay.objects.exists()


def test_new_days_cost_their_own_events_only(rolled, django_assert_max_num_queries):
    """The nightly run of one new day reads that day's events: its queries do not grow with
    the history (one query per rollup table, plus the snapshot's bounded reads and the
    lock). The leaders' tables cost one INSERT ... SELECT each joined to the executives' dated
    ranges (leader views, leader comments, leader answers), and the ranges two reads of the
    executives' history: a fixed number per day."""
    new_day = rolled.day + timedelta(days=1)
    ParticipationEvent.objects.filter(occurred_on__lt=rolled.day - timedelta(days=35)).count()
    with django_assert_max_num_queries(60):
        assert metrics_refresh(until=new_day) == [new_day]
    assert RolledDay.objects.get(day=new_day).events == 0


def test_compute_metrics_command_runs_the_same_code(org):
    from io import StringIO

    out = StringIO()
    call_command(
        "compute_metrics",
        "--since",
        (org.day - timedelta(days=45)).isoformat(),
        "--until",
        org.day.isoformat(),
        stdout=out,
    )
    assert "Rolled up 46 day(s)" in out.getvalue()
    assert ScopeDay.objects.get(day=org.day, department_id__isnull=True).engaged == 4


def test_compute_metrics_refuses_bad_dates(db):
    with pytest.raises(CommandError, match="Not a date"):
        call_command("compute_metrics", "--since", "yesterday")
    with translation.override("en"), pytest.raises(CommandError, match="must not be after"):
        call_command("compute_metrics", "--since", "2026-02-01", "--until", "2026-01-01")


def test_the_nightly_task_rolls_up_the_pending_days(org):
    from metrics.tasks import rollup_pending

    assert rollup_pending.delay().get() > 0
    assert RolledDay.objects.filter(day=org.day).exists()


def test_replies_are_matched_to_their_thread_through_the_conversation_they_recorded(org):
    """A reply recorded on the comment written (as interactions records it) meets its thread
    on the conversation the event carries; nothing looks the comment up. An answer without a
    conversation answers no thread."""
    started = at(org.day - timedelta(days=2), 9)
    for thread in (6, 8):
        event(
            org.a2,
            Verb.STARTED_THREAD,
            started,
            object_type="communities.thread",
            object_id=thread,
            community_id=7,
        )
    event(
        org.b2,
        Verb.REPLIED,
        started + timedelta(hours=2),
        object_type="interactions.comment",
        object_id=555,
        target=org.a2,
        conversation=("thread", 6),
    )
    event(
        org.b1,
        Verb.REPLIED,
        started + timedelta(hours=3),
        object_type="interactions.comment",
        object_id=556,
        target=org.a2,
    )
    metrics_refresh(since=org.day - timedelta(days=45), until=org.day)
    first = ConversationTurn.objects.filter(kind=Turn.FIRST_REPLY)
    assert set(first.values_list("object_type", "object_id", "user_id")) == {
        ("thread", 5, org.b1.pk),  # the fixture's reply, recorded on the thread itself
        ("thread", 6, org.b2.pk),
        ("post", 10, org.b1.pk),  # b1's comment on a1's post (10)
        ("post", 10, org.a1.pk),  # a1's answer under it
    }
    row = ScopeDay.objects.get(day=org.day, department_id__isnull=True)
    assert (row.threads, row.threads_answered_24h) == (3, 2)


def test_an_event_records_the_conversation_given_or_none(employee):
    """`conversation=` is recorded as given; an object the content registry does not know
    (here a person, followed) has none."""
    reply = event_record(actor=employee, verb=Verb.REPLIED, conversation=("thread", 12))
    follow = event_record(actor=employee, verb=Verb.FOLLOWED, obj=employee)
    assert (reply.conversation_type, reply.conversation_id) == ("thread", 12)
    assert reply.conversation == ("thread", 12)
    assert (follow.conversation_type, follow.conversation_id, follow.conversation) == (
        "",
        None,
        None,
    )


def test_a_post_prepared_by_a_delegate_is_recorded_so(executive, employee):
    from types import SimpleNamespace

    from activity.models import ParticipationEvent

    post = SimpleNamespace(pk=42, prepared_by_id=employee.pk, _meta=executive._meta)
    event_record(actor=executive, verb=Verb.POSTED, obj=post)
    event_record(actor=executive, verb=Verb.VIEWED, obj=post)
    posted, viewed = ParticipationEvent.objects.order_by("pk")
    assert posted.prepared_by_id == employee.pk
    assert viewed.prepared_by_id is None
