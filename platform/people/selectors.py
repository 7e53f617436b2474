"""Reads of people and departments, with the joins every list needs."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Concat

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


PICK_LIMIT = 10


def people_pick(*, query: str, limit: int = PICK_LIMIT) -> list[User]:
    """At most `limit` active employees matching every word of `query` in their name,
    username, job title or department (the directory's own rule, `people_list`): the people
    picker and @-mention autocomplete. One query; an empty query finds nobody."""
    query = " ".join(query.split()[:5])[:100]
    if not query:
        return []
    return list(
        people_list(query=query).only(
            "username",
            "first_name",
            "last_name",
            "display_name",
            "job_title",
            "photo",
            "department__name",
        )[:limit]
    )


def people_by_name(name: str) -> list[User]:
    """The active employees whose username, display name or full name ("Sophie Laurent") is
    exactly `name`, case-insensitively; at most two (enough to know it is ambiguous). Forms
    that choose a person accept what the people picker shows as well as the username."""
    name = " ".join((name or "").split())
    if not name:
        return []
    people = User.objects.filter(is_active=True).annotate(
        full_name=Concat("first_name", Value(" "), "last_name")
    )
    exact = people.filter(username__iexact=name)[:1]
    if exact:
        return list(exact)
    return list(
        people.filter(Q(display_name__iexact=name) | Q(full_name__iexact=name)).order_by("pk")[:2]
    )


def department_list() -> QuerySet[Department]:
    return (
        Department.objects.select_related("head", "parent")
        .annotate(people_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )


def department_people(department: Department) -> QuerySet[User]:
    return people_list(department=department).select_related("manager")
