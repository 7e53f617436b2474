"""Who may do what in the governance console. Every path (pages, the .ics feed, the queue)
asks here. The kernel's rules (charter, audit log, administrators) are in
`governance.permissions`; who may see or moderate a piece of content is its own app's rule,
asked through the registry (`core.content`).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from console.models import QuestionnaireResponse, Report
from core import content
from governance.permissions import is_active_person, is_administrator
from people.models import User


def can_view_rights_map(user: User) -> bool:
    return is_administrator(user)


def can_import_directory(user: User) -> bool:
    """Importing the directory (people, departments, managers) from a CSV file:
    administrators only."""
    return is_administrator(user)


def can_change_rights(user: User) -> bool:
    """Granting or withdrawing a role or a publishing right: administrators only."""
    return is_administrator(user)


# --- Moderation -------------------------------------------------------------------------------


def managed_community_ids(user: User) -> frozenset[int]:
    """The communities `user` runs as an active manager (the communities directory says);
    cached on the user object for the request."""
    if not is_active_person(user):
        return frozenset()
    cached = getattr(user, "_console_managed_ids", None)
    if cached is None:
        cached = frozenset(content.communities().managed_by(user))
        user._console_managed_ids = cached  # type: ignore[attr-defined]
    return cached


def can_report(user: User) -> bool:
    """Any active employee reports what they can see (the content's app decides that)."""
    return is_active_person(user)


def can_view_moderation_queue(user: User) -> bool:
    """Administrators (everything) and community managers (their communities)."""
    return is_administrator(user) or bool(managed_community_ids(user))


def can_moderate_report(user: User, report: Report) -> bool:
    """Administrators decide on every report; a community's managers on reports about content
    in their community. Content outside communities (a blog post and its comments) is for
    administrators. (Hiding then asks the content's own rule again: `kind.can_moderate`.)"""
    if is_administrator(user):
        return True
    return report.community_id is not None and report.community_id in managed_community_ids(user)


def access_report(user: User, report_id: int) -> Report:
    """A report this person may decide on, or 404 (other people's reports do not exist)."""
    report = (
        Report.objects.select_related("author", "reporter", "decided_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_moderate_report(user, report):
        raise Http404
    return report


# --- Editorial calendar -----------------------------------------------------------------------


def can_view_calendar(user: User) -> bool:
    """Every employee has the calendar; each entry is filtered by what they may see (each
    content kind's `calendar_entries` applies its own rule)."""
    return is_active_person(user)


# --- Executives' questionnaire ----------------------------------------------------------------


def can_answer_questionnaire(user: User) -> bool:
    """Executives and administrators fill in the questionnaire."""
    return is_active_person(user) and bool(user.is_executive or user.is_superuser)


def can_view_questionnaire_summary(user: User) -> bool:
    """The answers of leaders are for leaders and administrators."""
    return can_answer_questionnaire(user)


def can_view_questionnaire_response(user: User, response: QuestionnaireResponse) -> bool:
    return can_view_questionnaire_summary(user)


def access_questionnaire_response(user: User, response_id: int) -> QuestionnaireResponse:
    if not can_view_questionnaire_summary(user):
        raise Http404
    return get_object_or_404(
        QuestionnaireResponse.objects.select_related("respondent__department"), pk=response_id
    )
