"""An independent check: random organisations and histories, every stored figure compared
with a second computation written directly from the definitions (`metrics.definitions`
texts), in plain Python over the raw events and the dated history of people. It shares no
code with the rollups or the snapshots.

Generated: departments, people hired on various days, department moves and deactivations
(dated), memberships that start and end, events around midnight and across the autumn
daylight-saving change of Europe/Paris (25 October 2026), and late events written after a
first computation (then rolled up again as the nightly run would).

Examples: 30 by default (`HYPOTHESIS_PROFILE=metrics-thorough` for 300).
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from activity.models import ParticipationEvent, Verb
from activity.services import event_record
from metrics.models import CommunitySnapshot, ScopeDay
from metrics.services import metrics_refresh
from people.models import User
from tests.factories import DepartmentFactory, UserFactory

settings.register_profile(
    "metrics", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "metrics-thorough", max_examples=300, deadline=None, suppress_health_check=list(HealthCheck)
)

FIRST = date(2026, 10, 12)  # the range holds the change to winter time (25 October)
DAYS = 24
LAST = FIRST + timedelta(days=DAYS - 1)
TZ_NAME = "Europe/Paris"
ENGAGING = {Verb.REACTED, Verb.COMMENTED, Verb.REPLIED, Verb.POSTED, Verb.STARTED_THREAD}
WRITING = {Verb.COMMENTED, Verb.REPLIED, Verb.POSTED, Verb.STARTED_THREAD}
VERBS = [
    Verb.VIEWED,
    Verb.REACTED,
    Verb.COMMENTED,
    Verb.REPLIED,
    Verb.POSTED,
    Verb.STARTED_THREAD,
    Verb.FOLLOWED,
    Verb.JOINED,
    Verb.LEFT,
]


def moment(day: date, hour: int, minute: int) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(TZ_NAME))


def local_day(at: datetime) -> date:
    from zoneinfo import ZoneInfo

    return at.astimezone(ZoneInfo(TZ_NAME)).date()


offsets = st.integers(min_value=0, max_value=DAYS - 1)
hours = st.sampled_from([0, 0, 1, 2, 3, 9, 12, 22, 23, 23])
minutes = st.sampled_from([0, 1, 30, 59])

person = st.fixed_dictionaries(
    {
        "hired": st.integers(min_value=-40, max_value=DAYS - 1),
        "department": st.integers(min_value=0, max_value=2),
        "move": st.none() | st.tuples(offsets, hours, st.integers(min_value=0, max_value=2)),
        "deactivated": st.none() | st.tuples(offsets, hours),
    }
)
happening = st.fixed_dictionaries(
    {
        "actor": st.integers(min_value=0, max_value=5),
        "target": st.integers(min_value=0, max_value=5),
        "verb": st.sampled_from(VERBS),
        "day": offsets,
        "hour": hours,
        "minute": minutes,
        "community": st.integers(min_value=1, max_value=2),
        "late": st.booleans(),
    }
)
histories = st.fixed_dictionaries(
    {
        "people": st.lists(person, min_size=2, max_size=6),
        "events": st.lists(happening, min_size=1, max_size=35),
    }
)


class Reference:
    """The definitions, read literally, over raw rows."""

    def __init__(self, people: dict[int, dict], events: list[dict]) -> None:
        self.people = people  # id -> {"hired": date, "states": [(since, dept, active)]}
        self.events = events  # dicts of the event rows, as stored

    def state(self, pk: int, day: date) -> tuple[int | None, bool]:
        states = sorted(self.people[pk]["states"], key=lambda s: s[0])
        current = states[0]
        for s in states:
            if local_day(s[0]) <= day:
                current = s
        return current[1], current[2]

    def population(self, day: date) -> dict[int, int | None]:
        out = {}
        for pk, p in self.people.items():
            department, active = self.state(pk, day)
            if p["hired"] <= day and active:
                out[pk] = department
        return out

    def figures(self, day: date, department: int | None) -> dict:
        population = self.population(day)
        scope = {pk for pk, dept in population.items() if department is None or dept == department}
        start = day - timedelta(days=29)
        window = [e for e in self.events if start <= e["occurred_on"] <= day]
        mine = [e for e in window if e["actor_id"] in scope]
        engaged = {e["actor_id"] for e in mine if e["verb"] in ENGAGING}
        writers = [e for e in mine if e["verb"] in WRITING]
        answers = [
            e
            for e in mine
            if e["verb"] in (Verb.COMMENTED, Verb.REPLIED)
            and e["target_user_id"] is not None
            and e["target_user_id"] != e["actor_id"]
            and e["department_id"] is not None
            and e["target_department_id"] is not None
        ]
        figures = {
            "population": len(scope),
            "reached": len({e["actor_id"] for e in mine if e["verb"] == Verb.VIEWED}),
            "engaged": len(engaged),
            "contributors": len({e["actor_id"] for e in writers}),
            "contributions": len(writers),
            "engaged_today": len(
                {e["actor_id"] for e in mine if e["verb"] in ENGAGING and e["occurred_on"] == day}
            ),
            "interactions": len(answers),
            "cross_department_interactions": sum(
                1 for e in answers if e["department_id"] != e["target_department_id"]
            ),
        }
        members = self.members(day, population)
        cross = {
            c for c, people in members.items() if len({population[p] for p in people} - {None}) > 1
        }
        if department is None:
            figures["cross_department_communities"] = len(cross)
            with_writer = {population[e["actor_id"]] for e in writers} - {None}
            figures["departments_with_contributor"] = len(with_writer)
        else:
            figures["cross_department_communities"] = sum(
                1 for c in cross if department in {population[p] for p in members[c]}
            )
        return figures

    def members(self, day: date, population: dict[int, int | None]) -> dict[int, set[int]]:
        last: dict[tuple[int, int], str] = {}
        changes = [
            e
            for e in self.events
            if e["verb"] in (Verb.JOINED, Verb.LEFT) and e["occurred_on"] <= day
        ]
        for e in sorted(changes, key=lambda e: (e["occurred_at"], e["id"])):
            last[(e["community_id"], e["actor_id"])] = e["verb"]
        out: dict[int, set[int]] = defaultdict(set)
        for (community, pk), verb in last.items():
            if verb == Verb.JOINED and pk in population:
                out[community].add(pk)
        return out


STORED = [
    "population",
    "reached",
    "engaged",
    "contributors",
    "contributions",
    "engaged_today",
    "interactions",
    "cross_department_interactions",
    "cross_department_communities",
]


class MetricsMatchTheDefinitions(TestCase):
    @settings(settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "metrics")))
    @given(histories)
    def test_every_stored_figure_equals_the_plain_computation(self, history):
        departments = [DepartmentFactory(name=f"H{n}", slug=f"h{n}").pk for n in range(3)]
        users: list[User] = []
        people: dict[int, dict] = {}
        for n, p in enumerate(history["people"]):
            hired = moment(FIRST + timedelta(days=p["hired"]), 8, 0)
            user = UserFactory(
                username=f"h{n}", department_id=departments[p["department"]], date_joined=hired
            )
            states = [(hired, user.department_id, True)]
            changes = []  # (when, field, value), applied in the order they happened
            if p["move"] is not None:
                offset, hour, to = p["move"]
                when = max(moment(FIRST + timedelta(days=offset), hour, 15), hired)
                changes.append((when, "department_id", departments[to]))
            if p["deactivated"] is not None:
                offset, hour = p["deactivated"]
                when = max(moment(FIRST + timedelta(days=offset), hour, 45), hired)
                changes.append((when, "is_active", False))
            for when, field, value in sorted(changes, key=lambda c: c[0]):
                setattr(user, field, value)
                user.save(history_at=when)
                state = (when, user.department_id, user.is_active)
                if state[1:] != states[-1][1:]:
                    states.append(state)
            users.append(user)
            people[user.pk] = {"hired": local_day(hired), "states": states}

        serial = iter(range(1, 10_000))

        def write(e: dict, *, late: bool) -> None:
            actor = users[e["actor"] % len(users)]
            target = users[e["target"] % len(users)]
            at = moment(FIRST + timedelta(days=e["day"]), e["hour"], e["minute"])
            community = e["community"] if e["verb"] in (Verb.JOINED, Verb.LEFT) else None
            answer = e["verb"] in (Verb.COMMENTED, Verb.REPLIED, Verb.VIEWED, Verb.REACTED)
            if late:  # as a back-dated import would: through the service, marking its day
                event_record(
                    actor=actor,
                    verb=e["verb"],
                    community_id=community,
                    target_user=target if answer else None,
                    occurred_at=at,
                )
                return
            # The department each had at that moment, as the services record it.
            reference = Reference(people, [])
            dept = reference.state(actor.pk, local_day(at))[0]
            target_dept = reference.state(target.pk, local_day(at))[0]
            ParticipationEvent.objects.create(
                actor=actor,
                verb=e["verb"],
                object_type="communities.community" if community else "blogs.post",
                object_id=community or next(serial),
                community_id=community,
                department_id=dept,
                target_user_id=target.pk if answer else None,
                target_department_id=target_dept if answer else None,
                occurred_at=at,
                occurred_on=local_day(at),
            )

        for e in history["events"]:
            if not e["late"]:
                write(e, late=False)
        metrics_refresh(since=FIRST, until=LAST)
        for e in history["events"]:
            if e["late"]:
                write(e, late=True)
        metrics_refresh(until=LAST)  # the nightly run: dirty days and their later windows

        events = list(ParticipationEvent.objects.values())
        reference = Reference(people, events)
        for day in (FIRST + timedelta(days=n) for n in range(DAYS)):
            for department in (None, *departments):
                row = ScopeDay.objects.get(day=day, department_id=department)
                expected = reference.figures(day, department)
                got = {k: getattr(row, k) for k in expected}
                assert got == expected, (day, department)
        population = reference.population(LAST)
        members = reference.members(LAST, population)
        stored = {
            s.community_id: s.members
            for s in CommunitySnapshot.objects.filter(day=LAST)
            if s.members
        }
        assert stored == {c: len(m) for c, m in members.items() if m}
