"""What the platform measured over a period, read from the metrics rollups with the rules of
`metrics.definitions` (never from the events, never counted another way than the dashboards):

- questions: threads started in the period (`ConversationTurn` "thread started"), answered
  when someone other than their author replied by the end of the period; the share answered
  within 24 h and the median time to the first answer are `definitions.responsiveness`, the
  rule of the dashboards' "Responsiveness";
- cross-department exchanges: comments and replies whose author's department differs from
  the department of the person answered (`InteractionDay`, the cells off the diagonal of the
  organisation's "Who answers whom" matrix, summed over the period);
- contributors: distinct people who authored a post, thread, reply or comment in the period
  (`ActivityDay`, the dashboards' "Contributors" over the period instead of 30 days);
- onboarding: the cohorts hired in the period's months, as the latest cohort snapshot on or
  before its end sees them (`CohortSnapshot`, "Onboarding cohort");
- people reached by leaders: distinct employees who viewed an executive's post in the period
  (`LeaderViewDay`, "Leader reach" of every executive together).

Two periods (the one shown and the one it is compared with) cost six queries together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Aggregate, Count, F, Q, QuerySet, Subquery, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from metrics import definitions as d
from metrics.models import (
    ActivityDay,
    CohortSnapshot,
    ConversationTurn,
    InteractionDay,
    LeaderViewDay,
    Turn,
)
from metrics.snapshots import CONTRIBUTION_Q, end_of_day


@dataclass(frozen=True)
class Span:
    """A period of whole days, both ends included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Span:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Span(end - timedelta(days=self.days - 1), end)

    def q(self, field: str = "day") -> Q:
        return Q(**{f"{field}__range": (self.start, self.end)})


@dataclass(frozen=True)
class Measured:
    span: Span
    questions: int
    answered: int
    answered_24h: int
    median_first_answer_seconds: float | None
    interactions: int
    cross_department: int
    contributors: int
    newcomers: int
    newcomers_engaged: int
    leader_reach: int

    @property
    def onboarding_share(self) -> float | None:
        return d.onboarding_share(self.newcomers, self.newcomers_engaged)

    @property
    def cross_department_share(self) -> float | None:
        return d.cross_department_share(self.cross_department, self.interactions)


@dataclass(frozen=True)
class Indicator:
    """One measured figure as the worksheet shows it."""

    key: str
    label: str | Promise
    fmt: str  # int, pct, seconds
    definition: str | Promise


INDICATORS = [
    Indicator(
        "questions",
        _("Questions asked (threads started)"),
        "int",
        _("Threads started in the period."),
    ),
    Indicator(
        "answered",
        _("Questions answered"),
        "int",
        _("Threads of the period answered by someone other than their author by its end."),
    ),
    Indicator(
        "median_first_answer_seconds",
        _("Median time to first answer"),
        "seconds",
        _("Median time from a thread's start to its first answer (answered threads)."),
    ),
    Indicator(
        "cross_department",
        _("Cross-department exchanges"),
        "int",
        _(
            "Comments and replies whose author's department differs from that of the person "
            "answered (the cells off the diagonal of “Who answers whom”)."
        ),
    ),
    Indicator(
        "contributors",
        _("Contributors"),
        "int",
        _("Distinct people who authored a post, thread, reply or comment in the period."),
    ),
    Indicator(
        "newcomers_engaged",
        _("Newcomers engaged within 12 months"),
        "int",
        _("People hired in the period's months who were engaged within 12 months of hire."),
    ),
    Indicator(
        "onboarding_share",
        _("Onboarding cohort engagement"),
        "pct",
        _("Newcomers engaged within 12 months, out of the people hired in those months."),
    ),
    Indicator(
        "leader_reach",
        _("People reached by leaders"),
        "int",
        _("Distinct employees who viewed an executive's post in the period."),
    ),
]


def _questions(spans: list[Span]) -> dict[Span, tuple[int, int, int, float | None]]:
    """(threads, answered, answered within 24 h, median seconds) per span, in one query."""
    low, high = min(s.start for s in spans), max(s.end for s in spans)
    started: list[tuple[date, str, int | None, int, datetime]] = []
    replies: dict[tuple[str, int | None], list[tuple[int, datetime]]] = defaultdict(list)
    for kind, day, object_type, object_id, user_id, at in ConversationTurn.objects.filter(
        kind__in=[Turn.THREAD_STARTED, Turn.FIRST_REPLY], day__range=(low, high)
    ).values_list("kind", "day", "object_type", "object_id", "user_id", "at"):
        if kind == Turn.THREAD_STARTED:
            started.append((day, object_type, object_id, user_id, at))
        else:
            replies[(object_type, object_id)].append((user_id, at))
    out = {}
    for span in spans:
        as_of = end_of_day(span.end)
        timings = []
        for day, object_type, object_id, author, at in started:
            if not span.start <= day <= span.end:
                continue
            # The first answer by someone other than the thread's author (metrics.snapshots).
            times = [t for who, t in replies.get((object_type, object_id), []) if who != author]
            timings.append((at, min(times) if times else None))
        answered = sum(1 for _at, first in timings if first is not None and first <= as_of)
        rule = d.responsiveness(timings, as_of)
        out[span] = (len(timings), answered, rule.answered_24h, rule.median_seconds)
    return out


def _per_span(
    queryset: QuerySet[Any], spans: list[Span], **aggregates: Callable[[Span], Aggregate]
) -> dict[str, int]:
    """One aggregate query computing each named aggregate for each span (`<name>_<index>`)."""
    expressions = {
        f"{name}_{i}": build(span)
        for i, span in enumerate(spans)
        for name, build in aggregates.items()
    }
    result = queryset.aggregate(**expressions)
    return {key: int(value or 0) for key, value in result.items()}


def _cohorts(span: Span) -> tuple[int, int]:
    latest = (
        CohortSnapshot.objects.filter(day__lte=span.end, department_id__isnull=True)
        .order_by("-day")
        .values("day")[:1]
    )
    rows = CohortSnapshot.objects.filter(
        department_id__isnull=True,
        day=Subquery(latest),
        month__gte=span.start.replace(day=1),
        month__lte=span.end,
    ).aggregate(joined=Sum("joined"), engaged=Sum("engaged_within_year"))
    return rows["joined"] or 0, rows["engaged"] or 0


def measure(spans: list[Span]) -> list[Measured]:
    """The measured figures of each span, in order."""
    questions = _questions(spans)
    cross = Q(department_id__isnull=False, target_department_id__isnull=False) & ~Q(
        department_id=F("target_department_id")
    )
    exchanges = _per_span(
        InteractionDay.objects.filter(
            department_id__isnull=False, target_department_id__isnull=False
        ),
        spans,
        total=lambda s: Sum("interactions", filter=s.q()),
        cross=lambda s: Sum("interactions", filter=s.q() & cross),
    )
    writers = _per_span(
        ActivityDay.objects.filter(CONTRIBUTION_Q),
        spans,
        n=lambda s: Count("user_id", distinct=True, filter=s.q()),
    )
    reach = _per_span(
        LeaderViewDay.objects.all(),
        spans,
        n=lambda s: Count("viewer_id", distinct=True, filter=s.q()),
    )
    out = []
    for i, span in enumerate(spans):
        threads, answered, in_24h, median_seconds = questions[span]
        joined, engaged = _cohorts(span)
        out.append(
            Measured(
                span=span,
                questions=threads,
                answered=answered,
                answered_24h=in_24h,
                median_first_answer_seconds=median_seconds,
                interactions=exchanges[f"total_{i}"],
                cross_department=exchanges[f"cross_{i}"],
                contributors=writers[f"n_{i}"],
                newcomers=joined,
                newcomers_engaged=engaged,
                leader_reach=reach[f"n_{i}"],
            )
        )
    return out


__all__ = ["INDICATORS", "Indicator", "Measured", "Span", "measure"]
