"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password

from people.models import Department, User

TEST_PASSWORD = "correct-horse-battery-staple"
_HASHED_PASSWORD = make_password(TEST_PASSWORD)  # hashed once: hashing is slow by design


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"employee{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@ruche.test")
    password = _HASHED_PASSWORD
    department = factory.SubFactory(DepartmentFactory)
    job_title = "Analyste"
    preferred_language = "en"


class ExecutiveFactory(UserFactory):
    is_executive = True
    job_title = "Directrice"


class AdminFactory(UserFactory):
    is_superuser = True
    is_staff = True
