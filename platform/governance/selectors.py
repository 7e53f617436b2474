"""Reads for governance. Other apps use these too:

- `current_charter()`: the charter version people must accept now, or None.
- `charter_accepted(user)`: whether that person accepted it (True when there is none).
- `charter_acceptance_rate(population=None, as_of=None)`: for the maturity criterion
  "charter published and accepted by >= 50 %" (metrics).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import ngettext

from governance.models import AuditEntry, Charter, CharterAcceptance
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


def charter_publish_consequences(draft: Charter) -> list[str]:
    """What publishing `draft` does, said on the confirmation page: who must accept again."""
    people = User.objects.filter(is_active=True).count()
    current = current_charter()
    lines = [
        ngettext(
            "Version %(version)s becomes the charter in force: the %(count)d active employee "
            "must accept it before their next post, comment, reply or thread.",
            "Version %(version)s becomes the charter in force: all %(count)d active employees "
            "must accept it before their next post, comment, reply or thread.",
            people,
        )
        % {"version": draft.version, "count": people}
    ]
    if current is not None:
        accepted = CharterAcceptance.objects.filter(charter=current, user__is_active=True).count()
        lines.append(
            ngettext(
                "%(count)d person accepted version %(current)s: their acceptance no longer "
                "counts. A published version cannot be changed or withdrawn.",
                "%(count)d people accepted version %(current)s: their acceptance no longer "
                "counts. A published version cannot be changed or withdrawn.",
                accepted,
            )
            % {"count": accepted, "current": current.version}
        )
    return lines
