"""Who may do what in governance. Every path (pages, Django admin, the .ics feed, the CSV
export) asks here, and nowhere else.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from governance.models import Charter, QuestionnaireResponse, Report
from people.models import User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_administrator(user: User) -> bool:
    return _active(user) and user.is_superuser


def can_manage_charter(user: User) -> bool:
    """Administrators write and publish the charter."""
    return is_administrator(user)


def can_accept_charter(user: User) -> bool:
    return _active(user)


def can_view_audit_log(user: User) -> bool:
    """Administrators search and export the audit log; nobody edits it."""
    return is_administrator(user)


def can_view_rights_map(user: User) -> bool:
    return is_administrator(user)


def can_change_rights(user: User) -> bool:
    """Granting or withdrawing a role or a publishing right: administrators only."""
    return is_administrator(user)


def access_charter_for_edit(user: User, charter_id: int) -> Charter:
    """A charter version an administrator may still edit (a draft), or 404."""
    if not can_manage_charter(user):
        raise Http404
    return get_object_or_404(Charter, pk=charter_id)


# --- Moderation -------------------------------------------------------------------------------


def managed_community_ids(user: User) -> frozenset[int]:
    """The communities `user` runs as an active manager (communities' Membership roles);
    cached on the user object for the request."""
    if not _active(user):
        return frozenset()
    cached = getattr(user, "_governance_managed_ids", None)
    if cached is None:
        from communities.models import Membership, MembershipState, Role

        cached = frozenset(
            Membership.objects.filter(
                user=user, state=MembershipState.ACTIVE, role=Role.MANAGER
            ).values_list("community_id", flat=True)
        )
        user._governance_managed_ids = cached  # type: ignore[attr-defined]
    return cached


def can_report(user: User) -> bool:
    """Any active employee reports what they can see (the content's app decides that)."""
    return _active(user)


def can_view_moderation_queue(user: User) -> bool:
    """Administrators (everything) and community managers (their communities)."""
    return is_administrator(user) or bool(managed_community_ids(user))


def can_moderate_report(user: User, report: Report) -> bool:
    """Administrators decide on every report; a community's managers on reports about content
    in their community. Content outside communities (a blog post and its comments) is for
    administrators."""
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
    """Every employee has the calendar; each entry is filtered by what they may see."""
    return _active(user)


def can_see_scheduled_post_of(user: User, author_id: int | None) -> bool:
    """A post scheduled but not yet live is seen by its author, by the people the author
    named as delegates (they prepare it) and by administrators (who plan the editorial
    calendar)."""
    if not _active(user) or author_id is None:
        return False
    if user.pk == author_id or user.is_superuser:
        return True
    from blogs.permissions import is_delegate_of

    return is_delegate_of(user, author_id)


# --- Executives' questionnaire ----------------------------------------------------------------


def can_answer_questionnaire(user: User) -> bool:
    """Executives and administrators fill in the questionnaire."""
    return _active(user) and bool(user.is_executive or user.is_superuser)


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


# --- Django admin -----------------------------------------------------------------------------


def can_view_in_admin(user: User) -> bool:
    """Governance records are read in the Django admin by administrators; nobody adds, changes
    or deletes them there (every write goes through the services and is audited)."""
    return is_administrator(user)
