"""Reads of the worksheet: the current version (the latest) and the history, each with its
lines in one more query."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from roi.models import WorksheetLine, WorksheetVersion


def _versions() -> QuerySet[WorksheetVersion]:
    return (
        WorksheetVersion.objects.select_related("author")
        .prefetch_related(Prefetch("lines", queryset=WorksheetLine.objects.order_by("position")))
        .order_by("-number")
    )


def version_current() -> WorksheetVersion | None:
    """The latest version, or None before the first save."""
    return _versions().first()


def version_by_number(number: int) -> WorksheetVersion | None:
    return _versions().filter(number=number).first()


def version_history(limit: int = 50) -> list[WorksheetVersion]:
    """The latest `limit` versions, newest first, and the one before the oldest shown, so
    that each shown version can say what it changed."""
    return list(_versions()[: limit + 1])
