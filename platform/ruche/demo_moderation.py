"""Demo data that needs the content of the other apps: reports in the moderation queue.

A seed step of its own, to run after `ruche.demo_history` (the posts and threads) and before
`metrics.demo` (manage.py seed_demo). It lives in the top layer because it reaches into blogs,
communities and interactions, which the governance apps may not import. Idempotent: reports are
created only when there are none yet.
"""

from __future__ import annotations

import random

from blogs.models import PostPage
from communities.models import AccessMode, Thread, ThreadKind
from console import services
from console.models import ContentKind, Report, ReportReason
from core import content
from interactions.models import Comment
from people.models import User

REPORTS = [
    # kind, reason, details
    (ContentKind.THREAD, ReportReason.CONFIDENTIAL, "Des chiffres de ventes non publiés."),
    (ContentKind.THREAD, ReportReason.OFF_TOPIC, "Rien à voir avec la communauté."),
    (ContentKind.REPLY, ReportReason.DISRESPECT, "Ton moqueur envers un collègue."),
    (ContentKind.REPLY, ReportReason.FALSE, "L'information sur les congés est fausse."),
    (ContentKind.POST, ReportReason.OTHER, "Le billet cite un client par son nom."),
    (ContentKind.COMMENT, ReportReason.SPAM, ""),
    (ContentKind.THREAD, ReportReason.DISRESPECT, "Propos blessants dans le titre."),
]


def seed(*, rng: random.Random, stdout) -> None:
    created = 0 if Report.objects.exists() else _seed_reports(rng=rng)
    stdout.write(f"  governance (moderation): {created} reports")


def _candidates(kind: str, limit: int = 40) -> list:
    if kind == ContentKind.POST:
        return list(PostPage.objects.live().filter(hidden_at__isnull=True).order_by("-pk")[:limit])
    if kind == ContentKind.THREAD:
        return list(
            Thread.objects.filter(
                hidden_at__isnull=True,
                deleted_at__isnull=True,
                community__access=AccessMode.OPEN,
            )
            .exclude(kind=ThreadKind.ANNOUNCEMENT)
            .select_related("community")
            .order_by("-pk")[:limit]
        )
    comments = (
        Comment.objects.filter(hidden_at__isnull=True, deleted_at__isnull=True)
        .select_related("content_type", "author")
        .order_by("-pk")[: limit * 4]
    )
    return [c for c in comments if content.kind_for(c).key == kind][:limit]


def _seed_reports(*, rng: random.Random) -> int:
    people = list(User.objects.filter(is_active=True, is_superuser=False).order_by("pk"))
    if not people:
        return 0
    used: set[tuple[str, int]] = set()
    created: list[Report] = []
    for kind, reason, details in REPORTS:
        candidates = [c for c in _candidates(kind) if (kind, c.pk) not in used]
        if not candidates:
            continue
        obj = rng.choice(candidates)
        found = content.kind(kind)
        author = found.author(obj)
        reporters = [
            p
            for p in rng.sample(people, min(30, len(people)))
            if author is None or p.pk != author.pk
        ]
        reporter = next((p for p in reporters if found.visible_to(p, obj)), None)
        if reporter is None:
            continue
        report, _created = services.report_create(
            reporter=reporter, kind=kind, object_id=obj.pk, reason=reason, details=details
        )
        used.add((kind, obj.pk))
        created.append(report)
    _decide_some(created)
    return len(created)


def _decide_some(reports: list[Report]) -> None:
    """One report decided each way, so that the queue's history and an author's "moderation of
    my content" page are not empty in the demo."""
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None or len(reports) < 3:
        return
    services.report_hide(
        moderator=admin,
        report=reports[0],
        note="Ces chiffres ne sont pas encore publiés (charte, point 3). Vous pourrez les "
        "partager après la publication des résultats.",
    )
    services.report_dismiss(
        moderator=admin, report=reports[1], note="Le sujet intéresse bien la communauté."
    )
