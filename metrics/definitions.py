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
        _("Active employee accounts that had joined by that day, in their current department."),
    ),
    Definition("reached", _("Reached"), _("People who viewed anything in the last 30 days.")),
    Definition(
        "engaged",
        _("Engaged"),
        _(
            "People who reacted, commented, replied, posted or started a thread in the last "
            "30 days."
        ),
    ),
    Definition(
        "contributors",
        _("Contributors"),
        _("People who authored a post, thread, reply or comment in the last 30 days."),
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
            "contributors and by the next 9 % (rounded up to whole people; the 90-9-1 rule). "
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
            "from the department of the person answered, both at the time."
        ),
    ),
    Definition(
        "responsiveness",
        _("Responsiveness"),
        _(
            "Threads started in the last 30 days that got a first reply from someone other "
            "than their author within 24 hours, out of those whose 24 hours have passed or "
            "that were answered; and the median time to that first reply."
        ),
    ),
    Definition(
        "community_health",
        _("Community health"),
        _(
            "People engaged in the community in the last 30 days divided by people engaged "
            "in it at least once in the last 12 months."
        ),
    ),
    Definition(
        "onboarding",
        _("Onboarding cohort"),
        _("Of the people who joined in a month, the share engaged within 12 months of joining."),
    ),
    Definition(
        "department_kpi",
        _("Department KPI"),
        _(
            "The department's adoption rate, its change over the last 30 days (trend), and "
            "the organisation's adoption rate for comparison."
        ),
    ),
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
