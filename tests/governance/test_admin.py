"""The Django admin is a read-only window on governance records, for administrators only:
no add, change or delete path around the services and the audit log."""

from __future__ import annotations

import pytest

from console import services as console_services
from console.models import QuestionnaireResponse, Report
from governance import services
from governance.models import Charter

pytestmark = pytest.mark.django_db

ADMIN = "/django-admin/governance"
CONSOLE = "/django-admin/console"
# The console's records moved to their own app (tables kept): their admin pages too.
ADMIN_OF = {
    "charter": ADMIN,
    "charteracceptance": ADMIN,
    "auditentry": ADMIN,
    "report": CONSOLE,
    "questionnaireresponse": CONSOLE,
}


@pytest.fixture
def records(employee, colleague, executive, administrator, charter, thread):
    services.charter_accept(user=employee, charter=charter)
    report, _ = console_services.report_create(
        reporter=employee, kind="thread", object_id=thread.pk, reason="spam"
    )
    response = console_services.questionnaire_submit(
        respondent=executive, believed_stage="testing", answers={"1": "Écouter"}
    )
    return {"charter": charter, "report": report, "questionnaireresponse": response}


@pytest.mark.parametrize(
    "model", ["charter", "charteracceptance", "report", "questionnaireresponse", "auditentry"]
)
def test_administrators_read_but_cannot_write(client, administrator, records, model):
    client.force_login(administrator)
    assert client.get(f"{ADMIN_OF[model]}/{model}/").status_code == 200
    assert client.get(f"{ADMIN_OF[model]}/{model}/add/").status_code == 403


def test_no_change_or_delete_through_the_admin(client, administrator, records):
    client.force_login(administrator)
    report = records["report"]
    response = client.post(f"{CONSOLE}/report/{report.pk}/change/", {"status": "dismissed"})
    assert response.status_code == 403
    assert client.post(f"{CONSOLE}/report/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    charter = records["charter"]
    assert client.post(f"{ADMIN}/charter/{charter.pk}/delete/", {"post": "yes"}).status_code == 403
    report.refresh_from_db()
    assert report.is_open
    assert Charter.objects.filter(pk=charter.pk).exists()
    assert QuestionnaireResponse.objects.count() == 1
    assert Report.objects.count() == 1


@pytest.mark.parametrize("person", ["employee", "executive", "manager"])
def test_others_see_nothing_even_with_the_staff_flag(client, records, person, request):
    user = request.getfixturevalue(person)
    user.is_staff = True
    user.save()
    client.force_login(user)
    index = client.get("/django-admin/")
    page = index.content.decode().lower()
    assert ("governance" not in page and "console" not in page) or index.status_code != 200
    for model in ("report", "questionnaireresponse", "auditentry"):
        assert client.get(f"{ADMIN_OF[model]}/{model}/").status_code == 403
