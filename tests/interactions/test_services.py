"""interactions.services: the rules, the refusals, the events and the notifications."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from activity.models import ParticipationEvent
from core.refusals import Refusal
from governance.exceptions import CharterNotAccepted
from governance.models import AuditEntry, Charter
from governance.services import content_hide, content_restore
from interactions import services
from interactions.models import Comment, Mention, Reaction
from notifications.models import Notification
from tests.factories import AdminFactory, UserFactory
from tests.interactions.conftest import after_comment_calls

pytestmark = pytest.mark.django_db


def _events(**filters):
    return ParticipationEvent.objects.filter(**filters)


def _notified(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


class TestCommentCreate:
    def test_publishes_with_rendered_body_event_and_notification(
        self, board, owner, colleague, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            comment = services.comment_create(
                author=colleague, target=board, body="Bravo <b>!</b>\nhttps://ruche.test"
            )
        assert comment.target == board
        assert comment.body_html.startswith("<p>Bravo &lt;b&gt;!&lt;/b&gt;<br><a href=")
        event = _events(actor=colleague).get()
        assert event.verb == "commented"
        assert (event.object_type, event.object_id) == ("interactions.comment", comment.pk)
        assert event.community_id == board.pk
        assert event.target_user_id == owner.pk
        assert event.target_department_id == owner.department_id
        notification = _notified(owner).get()
        assert notification.kind == "comment"
        assert notification.url == f"{board.get_absolute_url()}#comment-{comment.pk}"
        assert notification.target == board
        assert after_comment_calls == [(comment.pk, True)]

    def test_each_person_is_notified_in_their_own_language(self, board, owner, colleague):
        owner.preferred_language = "fr"
        owner.save(update_fields=["preferred_language"])
        camille = UserFactory(username="camille.martin", preferred_language="en")
        services.comment_create(author=colleague, target=board, body="Voir @camille.martin")
        assert _notified(owner).get().summary == f"{colleague.name} a commenté « Board »"
        assert _notified(camille).get().summary == f"{colleague.name} mentioned you in “Board”"

    def test_an_owner_who_cannot_see_the_target_is_not_notified(self, make_board, owner):
        private = make_board("private-room")  # the owner is not in this department
        member = UserFactory(department=private)
        services.comment_create(author=member, target=private, body="Hello")
        assert not Notification.objects.exists()

    @pytest.mark.parametrize(
        ("kind", "summary"),
        [("answer", "Marc Petit answered your question “Board”"), (None, None)],
    )
    def test_the_target_chooses_how_its_owner_is_notified(
        self, board_model, board, owner, colleague, monkeypatch, kind, summary
    ):
        monkeypatch.setattr(
            board_model, "interaction_owner_notification", lambda self, c: kind, raising=False
        )
        services.comment_create(author=colleague, target=board, body="C'est la logistique.")
        assert list(_notified(owner).values_list("kind", "summary")) == (
            [(kind, summary)] if kind else []
        )

    def test_the_owner_commenting_is_not_notified(self, board, owner):
        services.comment_create(author=owner, target=board, body="Thanks for reading")
        assert not Notification.objects.exists()

    @pytest.mark.parametrize("body", ["", "   \n\t  ", None])
    def test_empty_comment_is_refused_and_nothing_written(self, board, colleague, body):
        with pytest.raises(ValidationError) as error:
            services.comment_create(author=colleague, target=board, body=body)
        assert error.value.code == "empty"
        assert not Comment.objects.exists() and not ParticipationEvent.objects.exists()

    def test_too_long_comment_is_refused(self, board, colleague):
        with pytest.raises(ValidationError) as error:
            services.comment_create(author=colleague, target=board, body="x" * 10_001)
        assert "10001" in error.value.messages[0] and "10000" in error.value.messages[0]
        assert not Comment.objects.exists()

    def test_closed_target_explains_why(self, make_board, colleague):
        closed = make_board("closed-board")
        with pytest.raises(ValidationError) as error:
            services.comment_create(author=colleague, target=closed, body="Hello")
        assert error.value.messages == ["This board is closed; your comment was not published."]
        assert not Comment.objects.exists()

    def test_invisible_target_is_refused(self, make_board, colleague):
        private = make_board("private-board")
        with pytest.raises(PermissionDenied):
            services.comment_create(author=colleague, target=private, body="Hello")
        assert not Comment.objects.exists()

    def test_inactive_author_is_refused(self, board):
        ghost = UserFactory(is_active=False)
        with pytest.raises(PermissionDenied):
            services.comment_create(author=ghost, target=board, body="Hello")

    def test_charter_is_required_first(self, board, colleague, administrator):
        Charter.objects.create(
            version=1,
            title_fr="Charte",
            title_en="Charter",
            body_fr="Soyez aimables.",
            body_en="Be kind.",
            created_by=administrator,
            published_at=timezone.now(),
        )
        with pytest.raises(CharterNotAccepted):
            services.comment_create(author=colleague, target=board, body="Hello")
        assert not Comment.objects.exists() and not ParticipationEvent.objects.exists()

    def test_nothing_is_recorded_when_the_write_fails(self, board, colleague, monkeypatch):
        def broken_notify(**kwargs):
            raise RuntimeError("notification store down")

        monkeypatch.setattr("interactions.services.notify", broken_notify)
        with pytest.raises(RuntimeError):
            services.comment_create(author=colleague, target=board, body="Hello @olivia.owner")
        assert not Comment.objects.exists()
        assert not Mention.objects.exists()
        assert not ParticipationEvent.objects.exists()

    def test_hook_is_not_called_when_the_transaction_rolls_back(
        self, board, colleague, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    services.comment_create(author=colleague, target=board, body="Hello")
                    raise RuntimeError("the caller's own write failed")
            except RuntimeError:
                pass
        assert callbacks == [] and after_comment_calls == []


class TestReplies:
    def test_reply_notifies_the_parent_author_and_records_whom_it_answers(
        self, board, owner, colleague, employee
    ):
        top = services.comment_create(author=employee, target=board, body="Question?")
        reply = services.comment_create(author=colleague, target=board, body="Answer", parent=top)
        assert reply.parent == top
        event = _events(actor=colleague).get()
        assert event.target_user_id == employee.pk
        assert _notified(employee, "reply").count() == 1
        # The owner heard about the top-level comment only.
        assert _notified(owner).count() == 1

    def test_reply_to_a_reply_attaches_to_the_top_level_comment(self, board, colleague, employee):
        top = services.comment_create(author=employee, target=board, body="1")
        reply = services.comment_create(author=colleague, target=board, body="2", parent=top)
        deeper = services.comment_create(author=employee, target=board, body="3", parent=reply)
        assert deeper.parent_id == top.pk
        # The author of the comment actually answered hears about it, and is the one the
        # participation event says was answered.
        assert _notified(colleague, "reply").count() == 1
        assert _events(actor=employee, object_id=deeper.pk).get().target_user_id == colleague.pk

    def test_parent_from_another_target_is_refused(self, board, make_board, colleague):
        other = make_board("other")
        foreign = services.comment_create(author=colleague, target=other, body="Elsewhere")
        with pytest.raises(ValidationError):
            services.comment_create(author=colleague, target=board, body="Hi", parent=foreign)

    def test_reply_to_a_removed_comment_is_refused(self, board, colleague, employee):
        top = services.comment_create(author=employee, target=board, body="1")
        services.comment_delete(actor=employee, comment=top)
        with pytest.raises(ValidationError) as error:
            services.comment_create(author=colleague, target=board, body="2", parent=top)
        assert error.value.code == "parent_removed"


class TestMentions:
    def test_mentioned_people_are_stored_and_notified_once(self, board, owner, colleague):
        camille = UserFactory(username="camille.martin")
        comment = services.comment_create(
            author=colleague,
            target=board,
            body="@camille.martin @Camille.Martin @olivia.owner @marc.colleague @nobody",
        )
        assert set(comment.mentions.values_list("user__username", flat=True)) == {
            "camille.martin",
            "olivia.owner",
        }
        assert _notified(camille, "mention").count() == 1
        # The owner gets one notification, not a "comment" and a "mention".
        assert list(_notified(owner).values_list("kind", flat=True)) == ["mention"]
        assert not _notified(colleague).exists()
        assert f'href="{camille.get_absolute_url()}"' in comment.body_html

    def test_people_who_cannot_see_the_target_are_not_notified(self, make_board, owner):
        private = make_board("private-team")
        member = UserFactory(username="member.one", department=private)
        outsider = UserFactory(username="out.sider")
        services.comment_create(author=member, target=private, body="@out.sider look")
        assert not _notified(outsider).exists()

    def test_edit_notifies_only_newly_mentioned_people(self, board, colleague):
        camille = UserFactory(username="camille.martin")
        paul = UserFactory(username="paul.durand")
        comment = services.comment_create(author=colleague, target=board, body="@camille.martin")
        services.comment_edit(
            editor=colleague, comment=comment, body="@camille.martin et @paul.durand"
        )
        assert _notified(camille, "mention").count() == 1
        assert _notified(paul, "mention").count() == 1
        services.comment_edit(editor=colleague, comment=comment, body="@paul.durand seul")
        assert list(comment.mentions.values_list("user", flat=True)) == [paul.pk]


class TestEditAndDelete:
    def test_author_edits(self, board, colleague, django_capture_on_commit_callbacks):
        comment = services.comment_create(author=colleague, target=board, body="Helo")
        with django_capture_on_commit_callbacks(execute=True):
            edited = services.comment_edit(editor=colleague, comment=comment, body="Hello")
        assert edited.body == "Hello" and edited.body_html == "<p>Hello</p>"
        assert edited.edited_at is not None
        assert after_comment_calls == [(comment.pk, False)]

    def test_nobody_else_edits_not_even_an_administrator(self, board, colleague, employee):
        comment = services.comment_create(author=colleague, target=board, body="Mine")
        for intruder in (employee, AdminFactory()):
            with pytest.raises(PermissionDenied):
                services.comment_edit(editor=intruder, comment=comment, body="Yours")
        comment.refresh_from_db()
        assert comment.body == "Mine"

    def test_empty_edit_is_refused(self, board, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Mine")
        with pytest.raises(ValidationError):
            services.comment_edit(editor=colleague, comment=comment, body=" ")

    def test_hidden_comment_cannot_be_edited(self, board, owner, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Mine")
        content_hide(actor=owner, obj=comment, reason="Off topic")
        with pytest.raises(ValidationError):
            services.comment_edit(editor=colleague, comment=comment, body="Sneaky")

    def test_delete_is_soft_and_keeps_replies(self, board, colleague, employee):
        top = services.comment_create(author=colleague, target=board, body="Top")
        reply = services.comment_create(author=employee, target=board, body="Reply", parent=top)
        services.comment_delete(actor=colleague, comment=top)
        top.refresh_from_db()
        assert top.deleted_at is not None and top.body == "Top"
        assert Comment.objects.filter(pk=reply.pk, parent=top, deleted_at__isnull=True).exists()
        entry = AuditEntry.objects.get(action="comment.deleted")
        assert entry.actor == colleague and entry.target_id == str(top.pk)

    def test_only_the_author_deletes(self, board, owner, colleague, employee):
        comment = services.comment_create(author=colleague, target=board, body="Mine")
        for intruder in (employee, owner, AdminFactory()):
            with pytest.raises(PermissionDenied):
                services.comment_delete(actor=intruder, comment=comment)
        comment.refresh_from_db()
        assert comment.deleted_at is None


class TestModeration:
    def test_hide_and_restore_record_who_when_and_audit(self, board, owner, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        content_hide(actor=owner, obj=comment, reason="Be kind")
        comment.refresh_from_db()
        assert comment.hidden_by == owner and comment.hidden_reason == "Be kind"
        assert comment.hidden_at is not None
        assert _notified(colleague, "moderation").count() == 1
        content_restore(actor=owner, obj=comment)
        comment.refresh_from_db()
        assert comment.hidden_at is None and comment.hidden_by is None
        actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor"))
        assert actions == [("comment.hidden", owner.pk), ("comment.restored", owner.pk)]
        assert Comment.objects.filter(pk=comment.pk).exists()

    def test_administrators_moderate(self, board, colleague, administrator):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        content_hide(actor=administrator, obj=comment, reason="Rule 3")
        assert Comment.objects.get(pk=comment.pk).is_hidden

    def test_non_moderators_cannot_hide_or_restore(self, board, owner, colleague, employee):
        comment = services.comment_create(author=colleague, target=board, body="Fine")
        for intruder in (employee, colleague):
            with pytest.raises(PermissionDenied):
                content_hide(actor=intruder, obj=comment, reason="No")
        content_hide(actor=owner, obj=comment, reason="Off topic")
        with pytest.raises(PermissionDenied):
            content_restore(actor=colleague, obj=comment)
        assert Comment.objects.get(pk=comment.pk).is_hidden

    def test_hiding_needs_a_reason(self, board, owner, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Fine")
        with pytest.raises(Refusal):
            content_hide(actor=owner, obj=comment, reason="  ")
        assert not Comment.objects.get(pk=comment.pk).is_hidden
        assert not AuditEntry.objects.exists()


class TestReactions:
    def test_toggle_on_and_off(self, board, owner, colleague):
        assert services.reaction_toggle(user=colleague, target=board, kind="like") is True
        assert Reaction.objects.filter(user=colleague, kind="like").count() == 1
        event = _events(verb="reacted").get()
        assert event.target_user_id == owner.pk and event.community_id == board.pk
        assert _notified(owner, "reaction").count() == 1
        assert services.reaction_toggle(user=colleague, target=board, kind="like") is False
        assert not Reaction.objects.exists()
        assert _events(verb="reacted").count() == 1

    def test_several_kinds_per_person(self, board, colleague):
        services.reaction_toggle(user=colleague, target=board, kind="like")
        services.reaction_toggle(user=colleague, target=board, kind="insightful")
        assert Reaction.objects.count() == 2

    def test_unknown_kind(self, board, colleague):
        with pytest.raises(ValidationError):
            services.reaction_toggle(user=colleague, target=board, kind="angry")
        assert not Reaction.objects.exists()

    def test_invisible_or_closed_target_refused(self, make_board, colleague):
        for slug in ("private-x", "closed-y"):
            with pytest.raises(PermissionDenied):
                services.reaction_toggle(user=colleague, target=make_board(slug), kind="like")
        assert not Reaction.objects.exists() and not ParticipationEvent.objects.exists()

    def test_react_to_a_comment(self, board, colleague, employee):
        comment = services.comment_create(author=colleague, target=board, body="Idea")
        assert services.reaction_toggle(user=employee, target=comment, kind="celebrate")
        event = _events(verb="reacted").get()
        assert event.object_type == "interactions.comment"
        assert event.target_user_id == colleague.pk and event.community_id == board.pk
        notification = _notified(colleague, "reaction").get()
        assert notification.target == board
        assert notification.url.endswith(f"#comment-{comment.pk}")

    def test_cannot_react_to_a_hidden_comment(self, board, owner, colleague, employee):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        content_hide(actor=owner, obj=comment, reason="No")
        comment.refresh_from_db()
        with pytest.raises(PermissionDenied):
            services.reaction_toggle(user=employee, target=comment, kind="like")
