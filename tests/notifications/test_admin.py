import pytest

from notifications.models import Kind

pytestmark = pytest.mark.django_db


def test_administrators_read_notifications_but_change_nothing(
    notify_committed, client, administrator, employee, colleague, target
):
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    client.force_login(administrator)
    listing = client.get("/django-admin/notifications/notification/")
    assert listing.status_code == 200
    assert "Roadmap 2027" in listing.content.decode()
    assert client.get("/django-admin/notifications/notification/add/").status_code == 403
    client.force_login(employee)
    assert client.get("/django-admin/notifications/notification/").status_code in (302, 403)
