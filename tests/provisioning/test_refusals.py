"""Every refusal of the SCIM endpoint: an RFC 7644 error (schema, status, scimType, detail),
and nothing half-written."""

from __future__ import annotations

import pytest

from people.models import Department, User
from provisioning.models import ProvisioningClient
from provisioning.services import client_create
from tests.factories import UserFactory

from .conftest import ScimClient

pytestmark = pytest.mark.django_db

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def _error(response, status: int, scim_type: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body["detail"]
    if scim_type is not None:
        assert body["scimType"] == scim_type
    return body


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer wrong-token", "Basic dXNlcjpwYXNz"])
def test_a_missing_or_wrong_token_is_refused_before_anything_is_read(client, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.post(
        "/scim/v2/Users",
        data={"schemas": [USER], "userName": "intruder"},
        content_type="application/scim+json",
        headers=headers,
    )
    _error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not User.objects.filter(username="intruder").exists()


def test_a_deleted_client_token_stops_working(scim_token):
    from provisioning.services import client_delete

    scim = ScimClient(scim_token)
    assert scim.get("Users").status_code == 200
    client_delete(actor=None, client=ProvisioningClient.objects.get(name="Entra ID"))
    _error(scim.get("Users"), 401)


def test_only_the_digest_of_the_token_is_stored():
    client, secret = client_create(actor=None, name="Okta")
    stored = ProvisioningClient.objects.get(pk=client.pk)
    assert secret not in stored.token_hash
    assert len(stored.token_hash) == 64


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ("{not json", "invalidSyntax"),
        ("[1, 2]", "invalidSyntax"),
        ({"schemas": [USER]}, None),  # userName is required
        ({"schemas": [USER], "userName": "x", "emails": [{"value": "not-an-address"}]}, None),
        ({"schemas": [USER], "userName": "x", "active": "maybe"}, None),
    ],
)
def test_a_malformed_user_is_refused_and_nothing_is_written(scim, body, scim_type):
    before = User.objects.count()
    _error(scim.post("Users", body), 400, scim_type)
    assert User.objects.count() == before


def test_a_taken_username_is_a_uniqueness_conflict(scim):
    UserFactory(username="taken@contoso.com")
    body = _error(scim.post("Users", {"schemas": [USER], "userName": "taken@contoso.com"}), 409)
    assert body["scimType"] == "uniqueness"


def test_an_unknown_manager_writes_nothing_not_even_the_department(scim):
    body = {
        "schemas": [USER],
        "userName": "new@contoso.com",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "department": "Brand new department",
            "manager": {"value": "999999"},
        },
    }
    _error(scim.post("Users", body), 400, "invalidValue")
    assert not User.objects.filter(username="new@contoso.com").exists()
    assert not Department.objects.filter(name="Brand new department").exists()


def test_a_malformed_patch_is_refused_and_changes_nothing(scim):
    person = UserFactory(job_title="Analyste")
    for operations in (
        [{"op": "explode", "path": "title", "value": "x"}],
        [{"op": "replace", "path": "noSuchAttribute", "value": "x"}],
        "not a list",
    ):
        response = scim.patch(f"Users/{person.pk}", {"schemas": [PATCH], "Operations": operations})
        _error(response, 400)
    # One good operation and one bad one: the whole request is refused.
    response = scim.patch(
        f"Users/{person.pk}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "replace", "path": "title", "value": "Directeur"},
                {"op": "replace", "path": "emails", "value": [{"value": "bad"}]},
            ],
        },
    )
    _error(response, 400)
    person.refresh_from_db()
    assert person.job_title == "Analyste"


def test_unknown_resources_and_paths_are_scim_404s(scim):
    _error(scim.get("Users/999999"), 404)
    _error(scim.get("Users/not-a-number"), 404)
    _error(scim.get("Groups/999999"), 404)
    _error(scim.get("Nothing/here"), 404)
    _error(scim.delete("Users/999999"), 404)


def test_an_unsupported_filter_is_an_invalid_filter(scim):
    _error(scim.get('Users?filter=nickName eq "x"'), 400, "invalidFilter")
    _error(scim.get("Users?filter=userName eq"), 400, "invalidFilter")


def test_a_group_name_taken_is_a_conflict_and_an_unknown_member_writes_nothing(scim):
    Department.objects.create(name="Sales", slug="sales")
    group = "urn:ietf:params:scim:schemas:core:2.0:Group"
    _error(scim.post("Groups", {"schemas": [group], "displayName": "sales"}), 409, "uniqueness")
    response = scim.post(
        "Groups", {"schemas": [group], "displayName": "Support", "members": [{"value": "424242"}]}
    )
    _error(response, 400, "invalidValue")
    assert not Department.objects.filter(name="Support").exists()
