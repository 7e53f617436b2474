"""Reads for governance. Other apps use these too:

- `current_charter()`: the charter version people must accept now, or None.
- `charter_accepted(user)`: whether that person accepted it (True when there is none).
- `charter_acceptance_rate(population=None, as_of=None)`: for the maturity criterion
  "charter published and accepted by >= 50 %" (metrics).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from governance.models import (
    AuditEntry,
    Charter,
    CharterAcceptance,
    MaturityStage,
    QuestionnaireResponse,
    Report,
    ReportStatus,
)
from people.models import User


def current_charter(*, as_of: datetime | None = None) -> Charter | None:
    """The latest published charter version (as it stood at `as_of`, default now)."""
    charters = Charter.objects.filter(published_at__isnull=False)
    if as_of is not None:
        charters = charters.filter(published_at__lte=as_of)
    return charters.order_by("-published_at", "-version").first()


def charter_accepted(user: User, *, charter: Charter | None = None) -> bool:
    """Whether `user` accepted the current charter; True when no charter is published."""
    charter = charter or current_charter()
    if charter is None:
        return True
    if not user.is_authenticated:
        return False
    return CharterAcceptance.objects.filter(charter=charter, user=user).exists()


def charter_acceptance_rate(
    *, population: QuerySet[User] | None = None, as_of: datetime | None = None
) -> float | None:
    """Share (0.0 to 1.0) of `population` who accepted the charter current at `as_of`.

    `population` defaults to active accounts (DESIGN.md's population); pass a department's
    people for the per-department stage. Returns None when no charter was published at that
    time (the criterion "charter published" fails), and 0.0 for an empty population.
    Two queries, whatever the size of the population.
    """
    charter = current_charter(as_of=as_of)
    if charter is None:
        return None
    people = population if population is not None else User.objects.filter(is_active=True)
    total = people.count()
    if total == 0:
        return 0.0
    acceptances = CharterAcceptance.objects.filter(charter=charter, user__in=people.values("pk"))
    if as_of is not None:
        acceptances = acceptances.filter(accepted_at__lte=as_of)
    return acceptances.count() / total


def charter_versions() -> QuerySet[Charter]:
    return (
        Charter.objects.select_related("created_by", "published_by")
        .annotate(acceptance_count=Count("acceptances"))
        .order_by("-version")
    )


def audit_entries(
    *, query: str = "", action: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[AuditEntry]:
    """The audit log, newest first, filtered by free text (who, action, target), action and
    local dates (both ends included)."""
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    if query:
        entries = entries.filter(
            Q(actor_label__icontains=query)
            | Q(action__icontains=query)
            | Q(target_label__icontains=query)
            | Q(target_type__icontains=query)
        )
    return entries


def audit_actions() -> list[str]:
    """The actions present in the log, for the filter."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


# --- Moderation -------------------------------------------------------------------------------


def moderation_queue(user: User, *, status: str = ReportStatus.OPEN) -> QuerySet[Report]:
    """The reports `user` may decide on: everything for administrators, the reports about
    their communities' content for community managers, nothing for anyone else."""
    from governance.permissions import is_administrator, managed_community_ids

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


def community_names(ids: set[int]) -> dict[int, str]:
    """Names of communities by id, in one query (the queue shows where content lives)."""
    if not ids:
        return {}
    from communities.models import Community

    return dict(Community.objects.filter(pk__in=ids).values_list("pk", "name"))


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


@dataclass(frozen=True)
class MeasuredStage:
    stage: str  # a MaturityStage value
    label: str
    day: date


def measured_stage() -> MeasuredStage | None:
    """The organisation's maturity stage as the platform last measured it (metrics' daily
    snapshot), or None when metrics has not computed any day yet."""
    try:
        from metrics.models import ScopeDay
    except ImportError:  # metrics not installed: nothing measured
        return None
    row = (
        ScopeDay.objects.filter(department_id__isnull=True)
        .order_by("-day")
        .only("day", "stage")
        .first()
    )
    if row is None:
        return None
    # metrics numbers the stages 0 (Dormant) to 4 (Empowered), in the same order.
    stage = MaturityStage.values[int(row.stage)]
    return MeasuredStage(stage=stage, label=str(MaturityStage(stage).label), day=row.day)
