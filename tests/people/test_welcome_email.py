import pytest
from django.core import mail

from people import services
from people.tasks import send_welcome_email


@pytest.mark.django_db
def test_account_creation_sends_the_welcome_email_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user = services.user_create(
            username="new.hire",
            email="new.hire@ruche.test",
            first_name="New",
            last_name="Hire",
            preferred_language="en",
        )
    # On commit: the welcome e-mail, global search indexing the new person, and the people
    # generation (people.generation: the directory now lists them).
    assert len(callbacks) == 3
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == "Welcome to Ruche, New Hire"
    assert "/people/me/edit/" in mail.outbox[0].body


@pytest.mark.django_db
def test_no_email_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.user_create(username="x", email="x@ruche.test", first_name="X", last_name="Y")
    # Callbacks run only on commit; a rollback drops them, so nothing is sent (the e-mail and
    # the search indexing were both queued, with the people generation's second bump).
    assert len(callbacks) == 3
    assert mail.outbox == []


@pytest.mark.django_db
def test_task_is_safe_for_a_missing_or_deactivated_account(employee):
    assert send_welcome_email(999_999) is False
    employee.is_active = False
    employee.save()
    assert send_welcome_email(employee.pk) is False
    assert mail.outbox == []
