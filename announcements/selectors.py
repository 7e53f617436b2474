"""Reads of announcements, with their visibility: what each person received, what is pinned
on their home, what they wrote, and the acknowledgement rates an author follows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from announcements.models import Announcement, Audience, Receipt
from communities.models import MembershipState
from core.content import Label
from metrics.permissions import is_small, shows_small_groups
from people.models import User

LIST_LIMIT = 50


def audience_users(announcement: Announcement) -> QuerySet[User]:
    """The active accounts an announcement goes to, its author excepted (read at publication:
    the receipts then fix who was asked)."""
    people = User.objects.filter(is_active=True).exclude(pk=announcement.author_id)
    if announcement.audience == Audience.DEPARTMENTS:
        people = people.filter(department__in=announcement.departments.all())
    elif announcement.audience == Audience.COMMUNITY:
        people = people.filter(
            community_memberships__community=announcement.community,
            community_memberships__state=MembershipState.ACTIVE,
        )
    return people.distinct()


_PINNED = Q(announcement__requires_ack=True, acknowledged_at__isnull=True)
_FEED_FIELDS = (
    "announcement_id",
    "announcement__title",
    "announcement__body",
    "announcement__published_at",
    "announcement__deadline",
    "announcement__requires_ack",
    "announcement__author_id",
    "announcement__author__username",
    "announcement__author__display_name",
    "announcement__author__first_name",
    "announcement__author__last_name",
    "acknowledged_at",
)


def _received(user: User | AnonymousUser) -> QuerySet[Receipt]:
    if not (user.is_authenticated and user.is_active):
        return Receipt.objects.none()
    return Receipt.objects.filter(user_id=user.pk, announcement__published_at__isnull=False)


def pinned_for(user: User | AnonymousUser) -> QuerySet[Any]:
    """The announcements `user` still has to acknowledge, newest first (plain values)."""
    rows: QuerySet[Any] = (
        _received(user)
        .filter(_PINNED)
        .order_by("-announcement__published_at", "-announcement_id")
        .values(*_FEED_FIELDS)
    )
    return rows


def feed_for(user: User | AnonymousUser) -> QuerySet[Any]:
    """The announcements `user` received that are not pinned (acknowledged, or that ask for
    no acknowledgement), newest first: they take their place in the home feed."""
    rows: QuerySet[Any] = (
        _received(user)
        .exclude(_PINNED)
        .order_by("-announcement__published_at", "-announcement_id")
        .values(*_FEED_FIELDS)
    )
    return rows


def received_by(user: User | AnonymousUser) -> QuerySet[Receipt]:
    """What `user` received, newest first, for the announcements page."""
    return (
        _received(user)
        .select_related("announcement__author")
        .order_by("-announcement__published_at", "-announcement_id")[:LIST_LIMIT]
    )


def written_by(user: User | AnonymousUser) -> QuerySet[Announcement]:
    """What `user` published or scheduled (administrators: every announcement), newest first."""
    if not (user.is_authenticated and user.is_active):
        return Announcement.objects.none()
    announcements = Announcement.objects.select_related("author")
    if not user.is_superuser:
        announcements = announcements.filter(author_id=user.pk)
    return announcements.annotate(
        acknowledged=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False))
    ).order_by("-publish_at", "-pk")[:LIST_LIMIT]


def receipt_of(user: User | AnonymousUser, announcement: Announcement) -> Receipt | None:
    if not (user.is_authenticated and user.is_active):
        return None
    return Receipt.objects.filter(announcement=announcement, user_id=user.pk).first()


def calendar_announcements(user: User, since: datetime, until: datetime) -> QuerySet[Announcement]:
    """Announcements dated in [since, until) (published, or scheduled for then) that `user`
    may see: received, or their own (administrators: all)."""
    dated = Announcement.objects.filter(publish_at__gte=since, publish_at__lt=until)
    if not user.is_superuser:
        received = Receipt.objects.filter(announcement=OuterRef("pk"), user_id=user.pk)
        dated = dated.filter(
            Q(author_id=user.pk) | Q(published_at__isnull=False) & Exists(received)
        )
    return dated.select_related("author").order_by("publish_at", "pk")


# --- Acknowledgement rates -----------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    """One line of the rates table: a department (or the small ones together), how many
    received the announcement and how many acknowledged. `hidden`: too few people to show."""

    label: Label
    recipients: int
    acknowledged: int
    hidden: bool = False

    @property
    def rate(self) -> float | None:
        if self.hidden or not self.recipients:
            return None
        return self.acknowledged / self.recipients


@dataclass(frozen=True)
class Rates:
    rows: list[RateRow]
    total: RateRow


def acknowledgement_rates(*, viewer: User, announcement: Announcement) -> Rates:
    """Recipients and acknowledgements per department (the department at publication), in one
    query. For anyone but an administrator, departments of fewer than `SMALL_GROUP`
    recipients are counted together as "other departments", and a group (or total) still
    below it is shown without figures (the metrics rule)."""
    counts = list(
        Receipt.objects.filter(announcement=announcement)
        .values("department_id", "department__name")
        .annotate(n=Count("id"), acked=Count("id", filter=Q(acknowledged_at__isnull=False)))
        .order_by("department__name")
    )
    everything = shows_small_groups(viewer)
    rows: list[RateRow] = []
    other_n = other_acked = 0
    for row in counts:
        if row["department_id"] is None or (not everything and is_small(row["n"])):
            other_n += row["n"]
            other_acked += row["acked"]
            continue
        rows.append(RateRow(row["department__name"], row["n"], row["acked"]))
    if other_n:
        label = _("Other departments") if not everything else _("No department")
        rows.append(
            RateRow(label, other_n, other_acked, hidden=not everything and is_small(other_n))
        )
    total_n = sum(row["n"] for row in counts)
    total_acked = sum(row["acked"] for row in counts)
    total = RateRow(
        _("Everyone"), total_n, total_acked, hidden=not everything and is_small(total_n)
    )
    return Rates(rows=rows, total=total)
