"""Factories for governance tests."""

from __future__ import annotations

import factory
from django.utils import timezone

from governance.models import Charter
from tests.factories import AdminFactory


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter

    version = factory.Sequence(lambda n: n + 1)
    title_fr = factory.LazyAttribute(lambda c: f"Charte d'usage v{c.version}")
    title_en = factory.LazyAttribute(lambda c: f"Usage charter v{c.version}")
    body_fr = "Nous nous exprimons avec respect.\n\nNous ne divulguons rien de confidentiel."
    body_en = "We speak with respect.\n\nWe disclose nothing confidential."
    created_by = factory.SubFactory(AdminFactory)
    published_at = None


class PublishedCharterFactory(CharterFactory):
    published_at = factory.LazyFunction(timezone.now)
    published_by = factory.SelfAttribute("created_by")
