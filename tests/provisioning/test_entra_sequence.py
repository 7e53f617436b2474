"""The requests Microsoft Entra ID sends when it provisions a user and a group, replayed as
Entra writes them: operation names in title case, `active` as the string "False", the manager
as a bare id, replace without a path, members added and removed by value."""

from __future__ import annotations

import pytest
from django.test import Client

from blogs.models import FeedToken
from console.models import CalendarToken
from governance.models import AuditEntry
from people.models import User
from people.services import personal_token_regenerate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _entra_user(user_name: str, external_id: str) -> dict:
    return {
        "schemas": [USER, ENTERPRISE],
        "externalId": external_id,
        "userName": user_name,
        "active": True,
        "displayName": "Alice Martin",
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"familyName": "Martin", "givenName": "Alice"},
        "title": "Chargée de mission",
        ENTERPRISE: {"department": "Ressources humaines"},
    }


def test_entra_provisions_updates_and_deactivates_a_user(scim, django_capture_on_commit_callbacks):
    manager = UserFactory(username="bob@contoso.com", email="bob@contoso.com")
    # 1. Entra looks the user up by userName first: nobody yet.
    found = scim.get('Users?filter=userName eq "alice@contoso.com"')
    assert found.status_code == 200
    assert found.json()["totalResults"] == 0
    assert found.json()["Resources"] == []

    # 2. It creates them.
    created = scim.post("Users", _entra_user("alice@contoso.com", "0a1b-entra-object-id"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert created["Location"] == body["meta"]["location"]
    alice = User.objects.get(pk=int(body["id"]))
    assert (alice.username, alice.email, alice.first_name, alice.last_name) == (
        "alice@contoso.com",
        "alice@contoso.com",
        "Alice",
        "Martin",
    )
    assert alice.department.name == "Ressources humaines"
    assert body["externalId"] == "0a1b-entra-object-id"

    # 3. Found again by externalId, as Entra matches on a re-run.
    again = scim.get('Users?filter=externalId eq "0a1b-entra-object-id"')
    assert [r["id"] for r in again.json()["Resources"]] == [str(alice.pk)]

    # 4. Replace attributes, Entra-style: "Replace", a path per attribute, the manager as an id.
    replaced = scim.patch(
        f"Users/{alice.pk}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Replace", "path": "title", "value": "Responsable formation"},
                {"op": "Replace", "path": "name.familyName", "value": "Martin-Durand"},
                {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(manager.pk)},
                {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Formation"},
            ],
        },
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()[ENTERPRISE]["manager"]["value"] == str(manager.pk)
    alice.refresh_from_db()
    assert (alice.job_title, alice.last_name, alice.manager_id) == (
        "Responsable formation",
        "Martin-Durand",
        manager.pk,
    )
    assert alice.department.name == "Formation"

    # 5. Replace without a path (Entra's other form), "active" as a string.
    scim.patch(
        f"Users/{alice.pk}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "value": {"name.givenName": "Alix"}}],
        },
    )
    alice.refresh_from_db()
    assert alice.first_name == "Alix"

    # 6. Deactivation: sessions, personal tokens end; the account and its content stay.
    browser = Client()
    browser.force_login(alice)
    personal_token_regenerate(model=FeedToken, user=alice)
    personal_token_regenerate(model=CalendarToken, user=alice)
    with django_capture_on_commit_callbacks(execute=True):
        off = scim.patch(
            f"Users/{alice.pk}",
            {
                "schemas": [PATCH],
                "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
            },
        )
    assert off.status_code == 200, off.content
    assert off.json()["active"] is False
    alice.refresh_from_db()
    assert not alice.is_active
    assert not FeedToken.objects.filter(user=alice).exists()
    assert not CalendarToken.objects.filter(user=alice).exists()
    assert browser.get("/").status_code == 302  # signed out: back to the login page

    actions = list(
        AuditEntry.objects.filter(target_id=str(alice.pk)).values_list("action", "actor_label")
    )
    assert ("account.created", "SCIM: Entra ID") in actions
    assert ("account.updated", "SCIM: Entra ID") in actions
    assert ("account.deactivated", "SCIM: Entra ID") in actions


def test_entra_creates_a_group_then_adds_and_removes_members(scim):
    alice = UserFactory(username="alice@contoso.com")
    bob = UserFactory(username="bob@contoso.com")
    assert scim.get('Groups?filter=displayName eq "Sales"').json()["totalResults"] == 0
    created = scim.post(
        "Groups",
        {"schemas": [GROUP], "externalId": "grp-1", "displayName": "Sales", "members": []},
    )
    assert created.status_code == 201, created.content
    group_id = created.json()["id"]

    added = scim.patch(
        f"Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Add", "path": "members", "value": [{"value": str(alice.pk)}]},
                {"op": "Add", "path": "members", "value": [{"value": str(bob.pk)}]},
            ],
        },
    )
    assert added.status_code == 200, added.content
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.department.name == bob.department.name == "Sales"

    removed = scim.patch(
        f"Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Remove", "path": f'members[value eq "{alice.pk}"]'},
            ],
        },
    )
    assert removed.status_code == 200, removed.content
    assert [m["value"] for m in removed.json()["members"]] == [str(bob.pk)]
    alice.refresh_from_db()
    assert alice.department_id is None
    # Entra reads the group with members excluded, as it does before each change.
    light = scim.get(f"Groups/{group_id}?excludedAttributes=members")
    assert "members" not in light.json()
    assert light.json()["displayName"] == "Sales"
