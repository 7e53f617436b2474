"""A department change by SCIM keeps the past in the department of its time: the events
already recorded keep their department, and PersonHistory dates the move."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from activity.services import event_record
from people.models import PersonHistory

pytestmark = pytest.mark.django_db

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def test_a_synchronised_department_change_does_not_rewrite_history(scim):
    created = scim.post(
        "Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
            "userName": "camille@contoso.com",
            ENTERPRISE: {"department": "Finance"},
        },
    ).json()
    from people.models import User

    camille = User.objects.get(pk=int(created["id"]))
    finance = camille.department
    event_record(actor=camille, verb=Verb.POSTED, occurred_at=timezone.now() - timedelta(days=2))

    response = scim.patch(
        f"Users/{camille.pk}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Audit"}],
        },
    )
    assert response.status_code == 200, response.content
    camille.refresh_from_db()
    assert camille.department.name == "Audit"
    # The event of two days ago still counts for Finance.
    assert list(ParticipationEvent.objects.values_list("department_id", flat=True)) == [finance.pk]
    history = list(
        PersonHistory.objects.filter(user=camille)
        .order_by("since")
        .values_list("department_id", flat=True)
    )
    assert history == [finance.pk, camille.department_id]
    # The same sync again changes nothing more.
    scim.patch(
        f"Users/{camille.pk}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Audit"}],
        },
    )
    assert PersonHistory.objects.filter(user=camille).count() == 2
