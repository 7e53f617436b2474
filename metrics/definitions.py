"""Every metric of DESIGN.md, each defined once, here.

The functions are pure: they take what the rollups hold (per-person sums over a window, pairs
of departments, thread timestamps) and return numbers. The snapshot job, the dashboards, the
e-mail and the tests all call these, and the dashboard prints `DEFINITIONS` so the reader sees
the exact rule behind each number.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WINDOW_DAYS = 30  # W
YEAR_DAYS = 365
ANSWER_DELAY = timedelta(hours=24)
# Groups smaller than this are shown to non-administrators only inside a larger aggregate.
SMALL_GROUP = 5


@dataclass
class PersonWindow:
    """One person's sums over a window, from `ActivityDay`."""

    views: int = 0
    reactions: int = 0
    follows: int = 0
    joins: int = 0
    posts: int = 0
    self_posts: int = 0
    threads: int = 0
    comments: int = 0
    replies: int = 0
    answers_to_others: int = 0

    def add(self, other: PersonWindow) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def contributions(self) -> int:
        """Things authored: posts, threads, replies and comments."""
        return self.posts + self.threads + self.comments + self.replies

    @property
    def is_reached(self) -> bool:
        return self.views > 0

    @property
    def is_engaged(self) -> bool:
        # Starting a thread is posting in a community: every contributor is also engaged.
        return (self.reactions + self.comments + self.replies + self.posts + self.threads) > 0

    @property
    def is_contributor(self) -> bool:
        return self.contributions > 0

    @property
    def is_participant(self) -> bool:
        """Reacted or followed (nobody votes in Ruche) but wrote nothing."""
        return not self.is_contributor and (self.reactions + self.follows) > 0

    @property
    def is_consumer(self) -> bool:
        """Only viewed."""
        return self.is_reached and not self.is_contributor and not self.is_participant


@dataclass(frozen=True)
class Definition:
    key: str
    label: str | Promise
    text: str | Promise


DEFINITIONS = [
    Definition(
        "population",
        _("Population"),
        _(
            "The people of a day: employees hired on or before it whose account was active "
            "at its end. A deactivated account leaves the population on the day of its "
            "deactivation and, from then on, every figure: engagement, contributions, "
            "interactions, community members and activity, cohorts. Each person counts in "
            "the department they were in that day (dated history of departments and "
            "status), so a later move or deactivation never changes a past day."
        ),
    ),
    Definition("reached", _("Reached"), _("People who viewed anything in the last 30 days.")),
    Definition(
        "engaged",
        _("Engaged"),
        _(
            "People who reacted, commented, replied, posted or started a thread in the last "
            "30 days (the day itself included). Viewing, following and joining do not make "
            "someone engaged."
        ),
    ),
    Definition(
        "contributors",
        _("Contributors"),
        _("People who authored a post, thread, reply or comment in the last 30 days."),
    ),
    # Must-read announcements write three verbs (activity.Verb: announced, acknowledged,
    # reminded) that no figure reads: an announcement is addressed top-down, and saying "I
    # have read it" is compliance, not participation. Counting them would lift adoption every
    # time the communications team asks the whole company to acknowledge something.
    Definition(
        "announcements",
        _("Announcements"),
        _(
            "Publishing a must-read announcement, acknowledging it (“I have read it”) and "
            "sending a reminder are recorded but count in no figure: not engagement, not "
            "contributions. Opening an announcement is not counted as a view either."
        ),
    ),
    # Ask-me-anything sessions (ama app) write four verbs. Asking and answering are writing
    # (counted with comments and replies), an upvote is a reaction; opening a session is
    # top-down, like an announcement, and counts in nothing.
    Definition(
        "ama",
        _("Ask me anything"),
        _(
            "In ask-me-anything sessions, asking a question counts as a comment (engaged, "
            "contributor; also when asked anonymously: the organisation's figures count it, no "
            "page names the person), an upvote as a reaction (engaged, participant) and the "
            "host's answer as a reply to the person who asked (engaged, contributor, leader "
            "engagement and cross-department interaction). Opening a session counts in no "
            "figure."
        ),
    ),
    Definition("adoption", _("Adoption rate"), _("Engaged people divided by the population.")),
    Definition(
        "segments",
        _("Consumers, participants, contributors"),
        _(
            "Consumers only viewed; participants reacted or followed but wrote nothing; "
            "contributors wrote something (last 30 days)."
        ),
    ),
    Definition(
        "stickiness",
        _("Stickiness"),
        _("People engaged that day divided by people engaged in the last 30 days (DAU/MAU)."),
    ),
    Definition(
        "inequality",
        _("Participation inequality"),
        _(
            "Share of the contributions of the last 30 days written by the top 1 % of "
            "contributors and by the next 9 % (contributors ranked by their number of "
            "contributions; each group's size is rounded up to whole people, so the top "
            "1 % is at least one person; ties are cut in rank order; the 90-9-1 rule). "
            "The Gini coefficient is computed over the contributions of the whole population, "
            "people who wrote nothing included (0 = everyone writes as much, 1 = one person "
            "writes everything)."
        ),
    ),
    Definition(
        "leader_engagement",
        _("Leader engagement"),
        _(
            "Share of executives who posted in the last 30 days, and who replied to or "
            "commented on someone else's content."
        ),
    ),
    Definition(
        "executive_as_of",
        _("Executives of a day"),
        _(
            "Whether someone is an executive is taken on each day from the dated history "
            "of departments and status (the state at the end of the day), never from the "
            "current role: the leaders' figures of a day (an executive's posts, views of "
            "them, comments on an executive's content, an executive's replies) count only the "
            "days the person was an executive, and the executives of a day are those of "
            "that day. Someone who becomes or stops being an executive never changes a "
            "day already computed."
        ),
    ),
    Definition(
        "leader_reach",
        _("Leader reach"),
        _("Distinct employees who viewed one of the executive's posts in the last 30 days."),
    ),
    Definition(
        "leader_voice",
        _("Leader voice"),
        _(
            "Share of the executive's posts written and published by the executive (not "
            "prepared by a delegate), and the median time the executive took to reply to a "
            "comment on their content (comments of the last 30 days that got a reply)."
        ),
    ),
    Definition(
        "cross_department",
        _("Cross-department interaction"),
        _(
            "Share of comments and replies (to someone else) whose author's department differs "
            "from the department of the person answered, both at the time of the comment. "
            "Only the comments of people in the population that day count; a department's "
            "figure counts the comments of its people of that day."
        ),
    ),
    Definition(
        "responsiveness",
        _("Responsiveness"),
        _(
            "Threads started in the last 30 days that got a first reply from someone other "
            "than their author within 24 hours, out of those whose 24 hours have passed or "
            "that were answered; and the median time to that first reply. A thread counts "
            "on every day of its 30-day window whoever its author is now (threads of people "
            "who later left still count), in the department of its author when it was "
            "started."
        ),
    ),
    Definition(
        "community_health",
        _("Community health"),
        _(
            "People engaged in the community in the last 30 days divided by people engaged "
            "in it at least once in the last 12 months (people of the population that day)."
        ),
    ),
    Definition(
        "membership",
        _("Community members"),
        _(
            "The members of a community on a day: people whose last membership event by "
            "the end of that day was joining (or an accepted invitation or approved "
            "request), not leaving or being removed, and who are in the population that "
            "day. A community is cross-department on a day when its members of that day "
            "come from at least two departments (each in their department of that day)."
        ),
    ),
    Definition(
        "onboarding",
        _("Onboarding cohort"),
        _(
            "Of the people of the population hired in a month, the share engaged within 12 "
            "months of their hire date; activity dated before the hire date does not count."
        ),
    ),
    Definition(
        "department_kpi",
        _("Department KPI"),
        _(
            "The department's adoption rate, its change over the last 30 days (trend: the "
            "rate of the day minus the rate 30 days earlier, each with the department's "
            "people of its own day), and the organisation's adoption rate for comparison."
        ),
    ),
]


NOT_APPLICABLE_RULE = _(
    "A criterion that cannot apply to a department (the executive criteria of a department "
    "with no executive) is shown as not applicable and left out: the department's stage is "
    "decided by the criteria that apply. For a department, a required number of departments "
    "is that department alone."
)
PROJECTION_METHOD = _(
    "Projection: for each Empowered criterion not met yet, a straight line fitted by least "
    "squares to its daily values over the last 90 days; Empowered is projected on the date "
    "the last of these lines reaches its threshold. It is not reachable at the current pace "
    "when one of them is flat or falling, or has no value (no thread, no executive)."
)
DEFINITIONS += [
    Definition(
        "stage",
        _("Maturity stage"),
        _(
            "The highest stage whose criteria all hold, the stages below it included. A "
            "criterion is met only when its current value reaches the threshold shown."
        ),
    ),
    Definition("not_applicable", _("Criteria that do not apply"), NOT_APPLICABLE_RULE),
    Definition("projection", _("Projection to Empowered"), PROJECTION_METHOD),
]


def rate(numerator: float, denominator: float) -> float | None:
    """A percentage, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return 100.0 * numerator / denominator


def reached(people: Iterable[PersonWindow]) -> int:
    return sum(1 for p in people if p.is_reached)


def engaged(people: Iterable[PersonWindow]) -> int:
    return sum(1 for p in people if p.is_engaged)


def contributors(people: Iterable[PersonWindow]) -> int:
    return sum(1 for p in people if p.is_contributor)


def adoption_rate(engaged_count: int, population: int) -> float | None:
    return rate(engaged_count, population)


def segments(people: Iterable[PersonWindow]) -> tuple[int, int, int]:
    """(consumers, participants, contributors)."""
    consumers = participants = writers = 0
    for p in people:
        if p.is_contributor:
            writers += 1
        elif p.is_participant:
            participants += 1
        elif p.is_consumer:
            consumers += 1
    return consumers, participants, writers


def stickiness(engaged_today: int, engaged_month: int) -> float | None:
    return rate(engaged_today, engaged_month)


def inequality(contributions: Iterable[int]) -> tuple[float | None, float | None]:
    """(top 1 % share, next 9 % share) of contributions among contributors, in percent."""
    counts = sorted((c for c in contributions if c > 0), reverse=True)
    total = sum(counts)
    if not total:
        return None, None
    top = math.ceil(len(counts) * 0.01)
    top10 = math.ceil(len(counts) * 0.10)
    return rate(sum(counts[:top]), total), rate(sum(counts[top:top10]), total)


def gini(values: Sequence[int]) -> float | None:
    """Gini coefficient of non-negative values (0 equal, towards 1 concentrated)."""
    n = len(values)
    total = sum(values)
    if not n or not total:
        return None
    ordered = sorted(values)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def cross_department_share(cross: int, total: int) -> float | None:
    return rate(cross, total)


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


@dataclass(frozen=True)
class Responsiveness:
    eligible: int
    answered_24h: int
    median_seconds: float | None

    @property
    def answered_share(self) -> float | None:
        return rate(self.answered_24h, self.eligible)


def responsiveness(
    threads: Iterable[tuple[datetime, datetime | None]], as_of: datetime
) -> Responsiveness:
    """Threads as (started_at, first_reply_at or None), seen at `as_of` (end of the day).

    A thread still inside its first 24 hours and unanswered is not counted yet: it may still
    be answered in time.
    """
    eligible = answered = 0
    delays: list[float] = []
    for started, first_reply in threads:
        if first_reply is not None and first_reply <= as_of:
            delay = (first_reply - started).total_seconds()
            delays.append(delay)
            eligible += 1
            answered += delay <= ANSWER_DELAY.total_seconds()
        elif as_of - started >= ANSWER_DELAY:
            eligible += 1
    return Responsiveness(eligible, answered, median(delays))


def community_health(active_month: int, active_year: int) -> float | None:
    return rate(active_month, active_year)


def onboarding_share(joined: int, engaged_within_year: int) -> float | None:
    return rate(engaged_within_year, joined)


def self_written_share(posts: int, self_posts: int) -> float | None:
    return rate(self_posts, posts)


def answer_delays(
    comments: Iterable[tuple[str, int | None, int, datetime]],
    answers: Iterable[tuple[str, int | None, int, datetime]],
) -> list[float]:
    """Seconds from each comment on an executive's content to the executive's first reply to
    that person under the same object. Both as (object_type, object_id, person, at)."""
    replies: dict[tuple[str, int | None, int], list[datetime]] = {}
    for object_type, object_id, person, at in answers:
        replies.setdefault((object_type, object_id, person), []).append(at)
    delays = []
    for object_type, object_id, person, at in comments:
        later = [r for r in replies.get((object_type, object_id, person), []) if r >= at]
        if later:
            delays.append((min(later) - at).total_seconds())
    return delays


def trend(now: float | None, before: float | None) -> float | None:
    """Change in percentage points between two rates."""
    if now is None or before is None:
        return None
    return now - before


# --- Department objectives (Forrester, seed 001: one metric per department head) -------------
# The metrics a head may choose for their department's objective: a closed list of keys of
# `DEFINITIONS` (the label shown is the definition's), each with the unit its target is given
# in. Every one of them is "more is better", so an objective is met when the value reaches the
# target.

PERCENT = "pct"
COUNT = "count"
OBJECTIVE_METRICS: dict[str, str] = {
    "adoption": PERCENT,
    "contributors": COUNT,
    "reached": COUNT,
    "cross_department": PERCENT,
    "responsiveness": PERCENT,
    "stickiness": PERCENT,
}
PACE_DAYS = 28  # the daily values the pace of an objective is fitted to
PACE_MIN_VALUES = 7  # fewer daily values than this: not enough data to project


def definition(key: str) -> Definition:
    return next(item for item in DEFINITIONS if item.key == key)


def objective_metric_label(key: str) -> str | Promise:
    return definition(key).label


def objective_metric_choices() -> list[tuple[str, str | Promise]]:
    return [(key, objective_metric_label(key)) for key in OBJECTIVE_METRICS]


class DailyFigures(Protocol):
    """What `objective_value` reads from a day's figures (a `ScopeDay` row)."""

    population: int
    reached: int
    engaged: int
    contributors: int
    engaged_today: int
    interactions: int
    cross_department_interactions: int
    threads: int
    threads_answered_24h: int


def objective_value(key: str, row: DailyFigures) -> float | None:
    """The value of an objective's metric on one day, in the unit its target is given in:
    percent for rates (None when there is nothing to divide by), people for counts."""
    if key == "adoption":
        return adoption_rate(row.engaged, row.population)
    if key == "contributors":
        return float(row.contributors)
    if key == "reached":
        return float(row.reached)
    if key == "cross_department":
        return cross_department_share(row.cross_department_interactions, row.interactions)
    if key == "responsiveness":
        return rate(row.threads_answered_24h, row.threads)
    if key == "stickiness":
        return stickiness(row.engaged_today, row.engaged)
    raise KeyError(key)


MET = "met"
WILL_BE_MET = "will_be_met"
WILL_NOT_BE_MET = "will_not_be_met"
NOT_ENOUGH_DATA = "not_enough_data"
MISSED = "missed"  # the target date has passed without the target reached


@dataclass(frozen=True)
class Pace:
    """Where an objective's line leads: `slope` per day, `projected` on the target date."""

    verdict: str
    slope: float | None
    projected: float | None


def objective_pace(points: Sequence[tuple[int, float]], *, target: float, days_left: int) -> Pace:
    """Whether a target will be met at the current pace.

    `points` are (day offset from the latest day, 0 for it and negative before, value) of the
    last `PACE_DAYS` daily values that exist. A straight line is fitted to them by least
    squares and read `days_left` days after the latest day (the target date). "met": the
    latest value already reaches the target and the line does not fall below it by the target
    date; fewer than `PACE_MIN_VALUES` values: not enough data.
    """
    if len(points) < PACE_MIN_VALUES:
        return Pace(NOT_ENOUGH_DATA, None, None)
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if not spread:
        return Pace(NOT_ENOUGH_DATA, None, None)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    # A count or a rate never goes below 0, whatever a falling line says.
    projected = max(0.0, mean_y + slope * (days_left - mean_x))
    latest = max(points)[1]
    if projected >= target:
        return Pace(MET if latest >= target else WILL_BE_MET, slope, projected)
    return Pace(WILL_NOT_BE_MET, slope, projected)


OBJECTIVE_PACE_METHOD = _(
    "Pace of an objective: a straight line fitted by least squares to the metric's daily "
    "values over the last 28 days, read on the target date. The target will be met at the "
    "current pace when that line reaches it by then; with fewer than 7 daily values there is "
    "not enough data. The trend is the value of the day minus the value 30 days earlier."
)
DEFINITIONS += [
    Definition(
        "objectives",
        _("Department objectives"),
        _(
            "Each department head chooses one of these metrics for their department, with a "
            "target and a date, and writes the People, Objectives and Strategy lines of "
            "Forrester's POST method (the technology comes last). Setting or replacing an "
            "objective is recorded in the audit log, not as participation: it counts in no "
            "figure. A new objective replaces the current one, which stays in the history."
        ),
    ),
    Definition("objective_pace", _("Pace of an objective"), OBJECTIVE_PACE_METHOD),
]
