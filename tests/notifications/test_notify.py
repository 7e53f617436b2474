"""The `notify` contract: who gets a row, in which transaction, and which e-mail leaves at once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import content
from core.content import ContentKind
from notifications.models import Kind, Mute, Notification
from notifications.services import mute_create, notify, preference_update
from people.models import Department
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_row_per_recipient_but_never_for_the_actor(
    notify_committed, employee, colleague, executive, target
):
    created = notify_committed(
        recipients=[employee, colleague, executive, employee],
        kind=Kind.COMMENT,
        actor=colleague,
        target=target,
    )
    assert sorted(n.recipient_id for n in created) == sorted([employee.pk, executive.pk])
    assert Notification.objects.filter(recipient=colleague).count() == 0
    row = Notification.objects.get(recipient=employee)
    assert row.target == target
    assert row.target_title == "Roadmap 2027"
    assert row.actor == colleague
    assert row.read_at is None
    # The actor is never e-mailed about their own action; the two others are.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([employee.email, executive.email])


def test_inactive_people_are_skipped(notify_committed, employee, colleague, target):
    employee.is_active = False
    employee.save()
    assert (
        notify_committed(recipients=[employee], kind="reply", actor=colleague, target=target) == []
    )
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_kind_switched_off_creates_nothing(notify_committed, employee, colleague, target):
    preference_update(actor=employee, disabled_kinds=[Kind.MENTION])
    notify_committed(recipients=[employee], kind=Kind.MENTION, actor=colleague, target=target)
    assert not Notification.objects.exists()
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    assert Notification.objects.filter(recipient=employee, kind=Kind.REPLY).count() == 1


def test_an_unknown_kind_is_a_programming_error(employee, colleague, target):
    with pytest.raises(ValueError):
        notify(
            recipients=[employee],
            kind="gossip",
            actor=colleague,
            target=target,
            url="/",
            summary="",
        )


def test_rows_belong_to_the_callers_transaction(
    django_capture_on_commit_callbacks, employee, colleague, target
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(
            recipients=[employee],
            kind=Kind.COMMENT,
            actor=colleague,
            target=target,
            url="/",
            summary="",
        )
        raise RuntimeError("the caller's write failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_default_group_is_kind_and_target(
    notify_committed, employee, colleague, executive, target, other_target
):
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target)
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=executive, target=target)
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=other_target)
    keys = list(Notification.objects.values_list("group_key", flat=True).order_by("id"))
    assert keys[0] == keys[1] != keys[2]
    notify_committed(
        recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target, group_key="thread:9"
    )
    assert Notification.objects.filter(group_key="thread:9").count() == 1


def test_immediate_email_only_for_comments_and_replies(
    notify_committed, employee, colleague, target
):
    notify_committed(recipients=[employee], kind=Kind.MENTION, actor=colleague, target=target)
    notify_committed(recipients=[employee], kind=Kind.ANNOUNCEMENT, actor=colleague, target=target)
    assert mail.outbox == []
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(kind=Kind.REPLY).emailed_at is not None
    assert Notification.objects.get(kind=Kind.MENTION).emailed_at is None  # left for the digest


def test_global_email_off_sends_nothing_but_keeps_the_notification(
    notify_committed, employee, colleague, target
):
    preference_update(actor=employee, email_enabled=False)
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=employee).count() == 1


def test_immediate_email_can_be_turned_off(notify_committed, employee, colleague, target):
    preference_update(actor=employee, email_immediate=False)
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target)
    assert mail.outbox == []


def test_one_kind_can_be_kept_out_of_email(notify_committed, employee, colleague, target):
    preference_update(actor=employee, email_disabled_kinds=[Kind.REPLY])
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=target)
    assert mail.outbox == []
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target)
    assert len(mail.outbox) == 1


def test_a_muted_target_sends_no_email_but_others_still_do(
    notify_committed, employee, colleague, target, other_target
):
    mute_create(actor=employee, target=target)
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=employee).count() == 1  # still in the centre
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=other_target)
    assert len(mail.outbox) == 1
    assert Mute.objects.get().target_title == "Roadmap 2027"


def test_the_email_has_text_html_and_one_click_unsubscribe(
    notify_committed, employee, colleague, target
):
    notify_committed(recipients=[employee], kind=Kind.COMMENT, actor=colleague, target=target)
    message = mail.outbox[0]
    assert message.to == [employee.email]
    assert message.subject == "[Ruche] Marc Petit commented on “Roadmap 2027”"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/notifications/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert unsubscribe[1:-1] in html
    assert "http://127.0.0.1:8000/somewhere/#comment-1" in message.body


def test_titles_are_escaped_in_html_email(notify_committed, employee, colleague):
    hostile = DepartmentFactory(name="<script>alert(1)</script> Plan", slug="hostile")
    notify_committed(recipients=[employee], kind=Kind.REPLY, actor=colleague, target=hostile)
    html = mail.outbox[0].alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_email_speaks_the_recipients_language(notify_committed, colleague, target):
    french = UserFactory(username="lea.fr", first_name="Léa", preferred_language="fr")
    notify_committed(recipients=[french], kind=Kind.REPLY, actor=colleague, target=target)
    message = mail.outbox[0]
    assert "vous a répondu" in message.subject
    assert "Ne plus recevoir" in message.body
    assert "Bonjour Léa" in message.alternatives[0][0]


# --- One policy for every caller: each reader's language, and visibility of registered content


def test_one_call_renders_the_summary_in_each_recipients_language(
    notify_committed, colleague, target
):
    french = UserFactory(username="lea.fr", preferred_language="fr")
    english = UserFactory(username="ann.en", preferred_language="en")
    notify_committed(
        recipients=[french, english],
        kind=Kind.MODERATION,  # a kind whose sentence is the caller's
        actor=colleague,
        target=target,
        summary=(
            _("%(name)s commented on “%(title)s”"),
            {"name": "Marc", "title": _("comment")},  # a lazy parameter is translated too
        ),
    )
    summaries = dict(Notification.objects.values_list("recipient__username", "summary"))
    assert summaries == {
        "lea.fr": "Marc a commenté « commentaire »",
        "ann.en": "Marc commented on “comment”",
    }


def test_a_plain_summary_is_kept_as_written(notify_committed, colleague, target):
    french = UserFactory(preferred_language="fr")
    notify_committed(
        recipients=[french], kind=Kind.MODERATION, actor=colleague, target=target, summary="Tel"
    )
    assert Notification.objects.get().summary == "Tel"


@pytest.fixture
def departments_are_content(monkeypatch):
    """Departments as a registered content kind seen only by their members, for this test."""
    kind = ContentKind(
        key="test-department",
        model=Department,
        label="department",
        load=lambda pk: Department.objects.filter(pk=pk).first(),
        visible_to=lambda user, department: user.department_id == department.pk,
        can_moderate=lambda user, department: False,
        author=lambda department: None,
        community_id=lambda department: None,
        excerpt=lambda department: department.name,
        url=lambda department: "/",
    )
    monkeypatch.setitem(content._KINDS, kind.key, kind)


def test_recipients_who_may_not_see_registered_content_get_nothing(
    departments_are_content, notify_committed, colleague, target
):
    member = UserFactory(department=target)
    outsider = UserFactory()
    created = notify_committed(
        recipients=[member, outsider], kind=Kind.COMMENT, actor=colleague, target=target
    )
    assert [n.recipient_id for n in created] == [member.pk]
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert [m.to[0] for m in mail.outbox] == [member.email]


def test_when_nobody_may_see_it_nothing_is_written(
    departments_are_content, notify_committed, colleague, target, django_assert_num_queries
):
    outsider = UserFactory()
    with django_assert_num_queries(0):
        assert (
            notify(
                recipients=[outsider],
                kind=Kind.COMMENT,
                actor=colleague,
                target=target,
                url="/",
                summary="x",
            )
            == []
        )
