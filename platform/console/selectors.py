"""Reads of the governance console, and the shaping of what its pages show (views stay thin).

Content is known only through the registry (`core.content`); the measured maturity stage
through `core.measures` (metrics registers it): the console imports no content app and not
metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from console import editorial_calendar
from console.models import (
    ContentKind,
    MaturityStage,
    QuestionnaireResponse,
    Report,
    ReportStatus,
)
from console.permissions import managed_community_ids
from console.questionnaire import QUESTIONS
from core import content, measures
from governance.permissions import is_administrator
from people.models import User

# --- Moderation -------------------------------------------------------------------------------


def moderation_queue(user: User, *, status: str = ReportStatus.OPEN) -> QuerySet[Report]:
    """The reports `user` may decide on: everything for administrators, the reports about
    their communities' content for community managers, nothing for anyone else."""
    reports = Report.objects.select_related("author", "reporter", "decided_by")
    if status:
        reports = reports.filter(status=status)
    if not is_administrator(user):
        reports = reports.filter(community_id__in=managed_community_ids(user))
    same_content = (
        Report.objects.filter(
            kind=OuterRef("kind"), object_id=OuterRef("object_id"), status=ReportStatus.OPEN
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return reports.annotate(open_on_content=Subquery(same_content)).order_by("created_at", "id")


def queue_status(value: str | None) -> str:
    """The queue's status filter from the query string (open by default)."""
    return value if value in ReportStatus.values else ReportStatus.OPEN


def community_names(ids: set[int]) -> dict[int, str]:
    """Names of communities by id, in one query (the queue shows where content lives)."""
    return content.communities().names(ids) if ids else {}


def moderation_of_my_content(user: User, *, limit: int = 200) -> list[Report]:
    """Decisions about `user`'s content that changed it (hidden, restored), newest first, one
    line per content and decision, with the explanation. Who reported is not shown."""
    reports = (
        Report.objects.filter(author=user, status__in=[ReportStatus.HIDDEN, ReportStatus.RESTORED])
        .only("kind", "object_id", "excerpt", "url", "status", "decided_at", "decision_note")
        .order_by("-decided_at", "-id")[: limit * 3]
    )
    seen: set[tuple[str, int, str]] = set()
    decisions = []
    for report in reports:
        key = (report.kind, report.object_id, report.status)
        if key not in seen:
            seen.add(key)
            decisions.append(report)
    return decisions[:limit]


# --- Executives' questionnaire ------------------------------------------------------------------


def questionnaire_history() -> QuerySet[QuestionnaireResponse]:
    """Every filling-in, newest first."""
    return QuestionnaireResponse.objects.select_related("respondent__department").order_by(
        "-submitted_at", "-id"
    )


def questionnaire_latest_per_respondent() -> list[QuestionnaireResponse]:
    """Each respondent's most recent filling-in (what leaders believe now), by name."""
    latest_ids = (
        QuestionnaireResponse.objects.filter(respondent=OuterRef("respondent"))
        .order_by("-submitted_at", "-id")
        .values("pk")[:1]
    )
    return list(
        QuestionnaireResponse.objects.filter(pk=Subquery(latest_ids))
        .select_related("respondent__department")
        .order_by("respondent__last_name", "respondent__first_name")
    )


def questionnaire_latest_of(user: User) -> QuestionnaireResponse | None:
    return (
        QuestionnaireResponse.objects.filter(respondent=user)
        .order_by("-submitted_at", "-id")
        .first()
    )


def questionnaire_initial(previous: QuestionnaireResponse | None) -> dict[str, str]:
    """The form starts from the person's previous answers."""
    if previous is None:
        return {}
    return {
        **{f"q{key}": text for key, text in previous.answers.items()},
        "believed_stage": previous.believed_stage,
    }


@dataclass(frozen=True)
class MeasuredStage:
    stage: str  # a MaturityStage value
    label: str
    day: date


def measured_stage() -> MeasuredStage | None:
    """The organisation's maturity stage as the platform last measured it (metrics' daily
    snapshot, through `core.measures`), or None when nothing was measured yet."""
    measure = measures.current_stage()
    if measure is None:
        return None
    # Both scales list the stages in the same order, Dormant (0) to Empowered (4).
    stage = MaturityStage.values[measure.rank]
    return MeasuredStage(stage=stage, label=str(MaturityStage(stage).label), day=measure.as_of)


def questionnaire_summary(latest: list[QuestionnaireResponse]) -> dict[str, Any]:
    """What leaders believe (how many at each stage, the measured one marked), next to what the
    platform measures, and every latest answer question by question."""
    counts = dict.fromkeys(MaturityStage.values, 0)
    for response in latest:
        counts[response.believed_stage] += 1
    measured = measured_stage()
    beliefs = [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "measured": measured is not None and measured.stage == value,
        }
        for value, label in MaturityStage.choices
    ]
    answers_by_question = [
        {
            "question": question,
            "answers": [
                (response.respondent, response.answers[question.key])
                for response in latest
                if question.key in response.answers
            ],
        }
        for question in QUESTIONS
    ]
    return {
        "latest": latest,
        "beliefs": beliefs,
        "measured": measured,
        "answers_by_question": answers_by_question,
    }


# --- Reporting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportTarget:
    """What the report page shows of the content reported."""

    kind_label: str
    excerpt: str
    url: str


def report_target(user: User, kind: str, object_id: int) -> ReportTarget | None:
    """The content `user` is about to report, or None when it does not exist for them (or is
    not reportable: an unknown kind, a community)."""
    found = content.load(kind, object_id) if kind in ContentKind.values else None
    if found is None or found[0].hide is None or not found[0].visible_to(user, found[1]):
        return None
    kind_obj, obj = found
    return ReportTarget(
        kind_label=str(ContentKind(kind).label),
        excerpt=kind_obj.excerpt(obj),
        url=kind_obj.url(obj),
    )


# --- Editorial calendar -----------------------------------------------------------------------


def calendar_month_of(value: str | None) -> date:
    """The first day of the month asked ("2026-11"), this month when absent or malformed."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def calendar_monday_of(value: str | None) -> date:
    """The Monday of the week of the day asked ("2026-11-18"), this week when malformed."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


def calendar_month(user: User, *, first: date, place: str, author_id: int | None) -> dict[str, Any]:
    """The month page: its weeks (Monday first), each day with its entries."""
    weeks = editorial_calendar.month_grid(first.year, first.month)
    lines = editorial_calendar.calendar_entries(
        user,
        start=weeks[0][0],
        end=weeks[-1][-1] + timedelta(days=1),
        place=place,
        author_id=author_id,
    )
    by_day: dict[date, list[editorial_calendar.CalendarLine]] = {}
    for line in lines:
        by_day.setdefault(line.local_date, []).append(line)
    return {
        "first": first,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "previous": (first - timedelta(days=1)).strftime("%Y-%m"),
        "next": (first + timedelta(days=32)).strftime("%Y-%m"),
        "today": timezone.localdate(),
    }


def calendar_week(user: User, *, monday: date, place: str, author_id: int | None) -> dict[str, Any]:
    """The week page: its seven days, each with its entries."""
    lines = editorial_calendar.calendar_entries(
        user, start=monday, end=monday + timedelta(days=7), place=place, author_id=author_id
    )
    days = editorial_calendar.week_days(monday)
    return {
        "monday": monday,
        "days": [(day, [line for line in lines if line.local_date == day]) for day in days],
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
        "today": timezone.localdate(),
    }
