"""The demo's worksheet is made through the service: two versions by two people, audited, and
the page shows it; a second run adds nothing."""

from __future__ import annotations

import io
import random

import pytest

from governance.models import AuditEntry
from roi import demo
from roi.models import WorksheetVersion
from tests.factories import AdminFactory, ExecutiveFactory

pytestmark = pytest.mark.django_db


def test_demo_worksheet(client):
    admin = AdminFactory(username="admin")
    ceo = ExecutiveFactory(username="camille.martin")
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    demo.seed(rng=random.Random(1), stdout=io.StringIO())
    versions = list(WorksheetVersion.objects.order_by("number"))
    assert [(v.number, v.author) for v in versions] == [(1, admin), (2, ceo)]
    assert AuditEntry.objects.filter(action="roi.saved").count() == 2
    client.force_login(ceo)
    page = client.get("/roi/").content.decode()
    assert "Formation des animateurs de communautés" in page
    assert 'data-testid="roi-measured"' in page
