"""Reads of people and departments, with the joins every list needs."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from people.models import Department, User


def people_list(*, query: str = "", department: Department | None = None) -> QuerySet[User]:
    """Active employees, optionally matching a name, job title or department name."""
    people = User.objects.filter(is_active=True).select_related("department")
    if department is not None:
        people = people.filter(department=department)
    for term in query.split():
        people = people.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(display_name__icontains=term)
            | Q(username__icontains=term)
            | Q(job_title__icontains=term)
            | Q(department__name__icontains=term)
        )
    return people.order_by("last_name", "first_name", "username")


def department_list() -> QuerySet[Department]:
    return (
        Department.objects.select_related("head", "parent")
        .annotate(people_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )


def department_people(department: Department) -> QuerySet[User]:
    return people_list(department=department).select_related("manager")
