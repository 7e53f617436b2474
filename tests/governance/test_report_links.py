"""Every piece of content offers a "Report" link to the people who may report it, not to its
author; the link leads to the report form of the right kind."""

import pytest
from django.urls import reverse


def _report_url(kind: str, object_id: int) -> str:
    return reverse("governance:report", kwargs={"kind": kind, "object_id": object_id})


@pytest.mark.django_db
def test_a_thread_and_its_replies_can_be_reported_by_others(client, employee, thread, reply):
    client.force_login(employee)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert _report_url("thread", thread.pk) in page
    assert _report_url("reply", reply.pk) in page
    assert client.get(_report_url("reply", reply.pk)).status_code == 200


@pytest.mark.django_db
def test_authors_are_not_offered_to_report_their_own_content(client, colleague, thread, reply):
    client.force_login(colleague)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert _report_url("thread", thread.pk) not in page
    assert _report_url("reply", reply.pk) not in page
