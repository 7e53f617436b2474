"""Who sees which figures. Every metrics view and every CSV export asks here.

- Administrators see the whole organisation, every department, community and person.
- A department head sees their department, in aggregate only.
- A community manager sees the communities they run, in aggregate.
- An executive sees their own reach and voice.
- A department head sets their department's objective (administrators set any department's);
  the objective is shown to those who see the department's figures.
- Nobody sees another person's individual activity unless administrator, and groups of fewer
  than `SMALL_GROUP` people are shown to non-administrators only inside a larger aggregate.
"""

from __future__ import annotations

from django.http import Http404

from metrics.definitions import SMALL_GROUP
from people.models import Department, User


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_view_organisation(user: User) -> bool:
    return _active(user) and user.is_superuser


def can_edit_criteria(user: User) -> bool:
    return _active(user) and user.is_superuser


def can_refresh_metrics(user: User) -> bool:
    return _active(user) and user.is_superuser


def can_view_department(user: User, department: Department) -> bool:
    return _active(user) and (user.is_superuser or department.head_id == user.pk)


def can_set_objective(user: User, department: Department) -> bool:
    """The department's head (`Department.head`), or an administrator."""
    return _active(user) and (user.is_superuser or department.head_id == user.pk)


def can_view_person(user: User, person: User) -> bool:
    """Individual activity: administrators, and each person for themself."""
    return _active(user) and (user.is_superuser or user.pk == person.pk)


def can_view_leader(user: User, executive: User) -> bool:
    return executive.is_executive and can_view_person(user, executive)


def can_view_communities(user: User) -> bool:
    return _active(user) and (user.is_superuser or user.is_community_manager)


def shows_small_groups(user: User) -> bool:
    """Whether this person may see a figure about fewer than SMALL_GROUP people."""
    return _active(user) and user.is_superuser


def is_small(size: int) -> bool:
    return size < SMALL_GROUP


def headed_departments(user: User) -> list[Department]:
    if not _active(user):
        return []
    return list(Department.objects.filter(head=user).order_by("name"))


def access_department(user: User, department_id: int) -> Department:
    """The department if this person may see its figures, else 404 (it is not theirs)."""
    department = Department.objects.select_related("head").filter(pk=department_id).first()
    if department is None or not can_view_department(user, department):
        raise Http404
    return department


def access_leader(user: User, executive_id: int) -> User:
    executive = User.objects.filter(pk=executive_id, is_active=True).first()
    if executive is None or not can_view_leader(user, executive):
        raise Http404
    return executive
