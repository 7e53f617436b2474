"""Executive status as it was on each day.

A person becomes an executive on day D, another stops being one on D. Leader reach and the
leaders' exchanges (comments on an executive's content, an executive's replies) count only the
days on which the person was an executive; the organisation's count of executives follows the
same dates. Every stored row is compared with a second computation written directly from the
raw events and `people.PersonHistory` in plain Python (not the rollup code).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from metrics.models import ConversationTurn, LeaderViewDay, ScopeDay, Turn
from metrics.reports import executives_on, leader_figures
from metrics.rollups import days_between, rollup_days
from metrics.services import metrics_refresh
from metrics.snapshots import executive_timelines
from people.models import PersonHistory, User
from tests.factories import DepartmentFactory, ExecutiveFactory, UserFactory
from tests.metrics.factories import at, event, joined_long_ago
from tests.metrics.test_rollups import dump, wipe

ANSWERS = (Verb.COMMENTED, Verb.REPLIED)


def executive_on(user_id: int, day) -> bool:
    """From the definition: the last history row dated on or before the day (by local date);
    the first row for the days before it; an account without history as it is now."""
    rows = list(
        PersonHistory.objects.filter(user_id=user_id)
        .order_by("since", "pk")
        .values_list("since", "is_executive")
    )
    if not rows:
        return User.objects.get(pk=user_id).is_executive
    state = rows[0][1]
    for since, executive in rows:
        if timezone.localdate(since) <= day:
            state = executive
    return state


def expected_leader_rows() -> tuple[Counter, Counter]:
    views: set[tuple] = set()
    turns: Counter = Counter()
    for e in ParticipationEvent.objects.all():
        day, target = e.occurred_on, e.target_user_id
        to_other = target is not None and target != e.actor_id
        is_post_view = e.verb == Verb.VIEWED and e.conversation_type == "post"
        if is_post_view and to_other and executive_on(target, day):
            views.add((day, target, e.actor_id))
        if e.verb in ANSWERS and e.conversation_type and to_other:
            turn = (day, e.conversation_type, e.conversation_id, e.actor_id, target, e.occurred_at)
            if executive_on(target, day):
                turns[(Turn.LEADER_COMMENTED.value, *turn)] += 1
            if executive_on(e.actor_id, day):
                turns[(Turn.LEADER_ANSWERED.value, *turn)] += 1
    return Counter(views), turns


def stored_leader_rows() -> tuple[Counter, Counter]:
    views = Counter(LeaderViewDay.objects.values_list("day", "executive_id", "viewer_id"))
    turns = Counter(
        ConversationTurn.objects.filter(
            kind__in=[Turn.LEADER_COMMENTED, Turn.LEADER_ANSWERED]
        ).values_list("kind", "day", "object_type", "object_id", "user_id", "other_user_id", "at")
    )
    return views, turns


def exchange(author, viewer, commenter, day, post_id, hour=10):
    """`author` posts; `viewer` reads it; `commenter` comments; `author` answers."""
    conversation = ("post", post_id)
    event(author, Verb.POSTED, at(day, hour), object_id=post_id)
    event(viewer, Verb.VIEWED, at(day, hour, 10), object_id=post_id, target=author)
    comment = {"object_type": "blogs.comment", "conversation": conversation}
    event(
        commenter,
        Verb.COMMENTED,
        at(day, hour, 20),
        object_id=post_id * 10,
        target=author,
        **comment,
    )
    event(
        author,
        Verb.REPLIED,
        at(day, hour, 40),
        object_id=post_id * 10 + 1,
        target=commenter,
        **comment,
    )


@pytest.fixture
def change(db):
    """p becomes an executive on D (at 09:00), q stops being one on D; exchanges three days
    before and three days after D, and one on D itself before 09:00."""
    day = timezone.localdate() - timedelta(days=3)
    d = day - timedelta(days=10)
    dept = DepartmentFactory(name="Gamma", slug="gamma")
    p = UserFactory(username="p", department=dept)
    q = ExecutiveFactory(username="q", department=dept)
    r = UserFactory(username="r", department=dept)
    s = UserFactory(username="s", department=dept)
    joined_long_ago(p, q, r, s)
    for person in (p, q, r, s):
        person.refresh_from_db()
    p.is_executive = True
    p.save(history_at=at(d, 9))
    q.is_executive = False
    q.save(history_at=at(d, 9))
    post = iter(range(100, 200))
    for author in (p, q):
        for offset in (-3, 3):
            exchange(author, r, s, d + timedelta(days=offset), next(post))
        # On D itself, before the change of 09:00: the state at the end of the day decides.
        exchange(author, r, s, d, next(post), hour=7)
    return type("Change", (), {"day": day, "d": d, "p": p, "q": q, "r": r, "s": s})


def refresh(change):
    metrics_refresh(since=change.d - timedelta(days=10), until=change.day)


def test_leader_rows_follow_the_status_of_each_day(change):
    refresh(change)
    views, turns = stored_leader_rows()
    assert (views, turns) == expected_leader_rows()
    before, after = change.d - timedelta(days=3), change.d + timedelta(days=3)
    p, q, r = change.p.pk, change.q.pk, change.r.pk
    # p: not an executive before D, one from D on (the whole of D); q the other way round.
    assert (before, p, r) not in views and (after, p, r) in views and (change.d, p, r) in views
    assert (before, q, r) in views and (after, q, r) not in views and (change.d, q, r) not in views
    answered = {(k[1], k[4]) for k in turns if k[0] == Turn.LEADER_ANSWERED}
    assert (before, p) not in answered and (after, p) in answered
    assert (before, q) in answered and (after, q) not in answered
    # No duplicate row: a person's executive ranges never overlap.
    assert max(views.values()) == 1 and max(turns.values()) == 1


def test_leader_reach_of_a_window_counts_only_the_days_as_executive(change):
    refresh(change)
    # The window ending 4 days before D sees q's exchange of D-3 only; p's is not a leader's.
    early = change.d - timedelta(days=2)
    assert leader_figures(change.q, early).reach == 1
    assert leader_figures(change.p, early).reach == 0
    assert leader_figures(change.p, early).comments == 0
    # The window ending on the measured day: p's exchanges of D and D+3, q's of D-3.
    assert leader_figures(change.p, change.day).reach == 1  # one viewer, r
    assert leader_figures(change.p, change.day).comments == 2
    assert leader_figures(change.q, change.day).comments == 1
    assert leader_figures(change.q, change.day).answered == 1


def test_the_count_of_executives_follows_the_dates(change):
    refresh(change)

    def executives(day):
        return ScopeDay.objects.get(day=day, department_id=change.p.department_id).executives

    def posted(day):
        return ScopeDay.objects.get(day=day, department_id=change.p.department_id).executives_posted

    before = change.d - timedelta(days=1)
    assert executives(before) == 1 and posted(before) == 1  # q, who posted on D-3
    assert executives(change.d) == 1 and posted(change.d) == 1  # p, who posted on D
    after = change.d + timedelta(days=3)
    assert executives(after) == 1 and posted(after) == 1


def test_rerolling_past_days_after_a_new_change_gives_the_same_rows(change):
    refresh(change)
    first = dump()
    # Today p stops being an executive and q becomes one again: the past stays as it was.
    change.p.is_executive = False
    change.p.save()
    change.q.is_executive = True
    change.q.save()
    rollup_days(days_between(change.d - timedelta(days=10), change.day))
    assert stored_leader_rows() == expected_leader_rows()
    refresh(change)
    assert dump() == first


def test_an_incremental_computation_agrees_with_a_fresh_one(change):
    metrics_refresh(since=change.d - timedelta(days=10), until=change.d - timedelta(days=1))
    # Later, a late exchange of D-1 and the rest of the days, as the nightly run does them.
    exchange(change.p, change.r, change.s, change.d - timedelta(days=1), 300)
    exchange(change.q, change.r, change.s, change.d + timedelta(days=1), 301)
    rollup_days([change.d - timedelta(days=1)])
    metrics_refresh(since=change.d, until=change.day)
    incremental = dump()
    assert stored_leader_rows() == expected_leader_rows()
    wipe()
    refresh(change)
    assert dump() == incremental


def test_an_account_without_history_is_taken_as_it_is_now(change):
    PersonHistory.objects.filter(user=change.q).delete()
    refresh(change)
    views, _turns = stored_leader_rows()
    assert (views, _turns) == expected_leader_rows()
    # q is an executive on no day now that the history is gone and the flag is off.
    assert not any(key[1] == change.q.pk for key in views)


def test_posts_written_before_a_promotion_are_not_an_executives_posts(db):
    """e posts five days before becoming an executive on D and not after; f, an executive
    who posted, stops being one on D. A window ending after D holds e's post, but it was an
    employee's post: e counts as an executive who has not posted, in the department's
    snapshot and in the leaders' figures; the leaders of a day are those of that day."""
    d = timezone.localdate() - timedelta(days=6)
    dept = DepartmentFactory(name="Delta", slug="delta")
    e = UserFactory(username="e", department=dept)
    f = ExecutiveFactory(username="f", department=dept)
    joined_long_ago(e, f)
    e.refresh_from_db()
    f.refresh_from_db()
    event(e, Verb.POSTED, at(d - timedelta(days=5), 10), object_id=500)
    event(f, Verb.POSTED, at(d - timedelta(days=5), 11), object_id=501)
    e.is_executive = True
    e.save(history_at=at(d, 9))
    f.is_executive = False
    f.save(history_at=at(d, 9))
    after = d + timedelta(days=1)
    metrics_refresh(since=d - timedelta(days=10), until=after)

    row = ScopeDay.objects.get(day=after, department_id=dept.pk)
    assert (row.executives, row.executives_posted) == (1, 0)
    before = ScopeDay.objects.get(day=d - timedelta(days=1), department_id=dept.pk)
    assert (before.executives, before.executives_posted) == (1, 1)  # f, before D
    assert leader_figures(e, after).posts == 0
    assert leader_figures(f, d - timedelta(days=1)).posts == 1

    timelines = executive_timelines()
    assert [u.username for u in executives_on(after, timelines)] == ["e"]
    assert [u.username for u in executives_on(d - timedelta(days=1), timelines)] == ["f"]
