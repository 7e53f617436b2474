"""Comments as content kinds (interactions.content), the comment menu's one moderation path,
and the two target hooks: counters inside the write, broadcast on commit only.

The board stand-in (conftest) is registered as two kinds: "board" (a comment on it is a
"comment", like on a blog post) and "forum" for `forum-*` boards (a comment on it is a
"reply", like on a community thread). The same checks on the real post and thread are in
test_real_targets.py.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from activity.models import ParticipationEvent
from core import content
from governance.models import AuditEntry
from interactions import services
from interactions.models import Comment, Reaction
from interactions.selectors import DRAFTS_SESSION_KEY
from notifications.models import Notification
from tests.factories import UserFactory
from tests.interactions.conftest import after_comment_calls, on_comment_calls

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(make_board):
    return make_board("forum-ideas")


class TestKinds:
    def test_a_comment_is_a_comment_or_a_reply_by_the_kind_of_its_target(
        self, board, forum, colleague
    ):
        on_board = services.comment_create(author=colleague, target=board, body="On a board")
        on_forum = services.comment_create(author=colleague, target=forum, body="On a forum")
        assert content.kind_for(Comment.objects.get(pk=on_board.pk)).key == "comment"
        assert content.kind_for(Comment.objects.get(pk=on_forum.pk)).key == "reply"

    def test_load_finds_only_its_own_kind(self, board, forum, colleague):
        on_board = services.comment_create(author=colleague, target=board, body="On a board")
        on_forum = services.comment_create(author=colleague, target=forum, body="On a forum")
        assert content.load("comment", on_board.pk)[1] == on_board
        assert content.load("reply", on_forum.pk)[1] == on_forum
        assert content.load("reply", on_board.pk) is None
        assert content.load("comment", on_forum.pk) is None
        assert content.load("comment", on_forum.pk + 1000) is None
        assert content.load("comment", "abc") is None

    def test_what_the_kind_says_of_a_comment(self, board, owner, colleague, employee):
        comment = services.comment_create(author=colleague, target=board, body="x" * 400)
        kind, loaded = content.load("comment", comment.pk)
        assert kind.author(loaded) == colleague
        assert kind.community_id(loaded) == board.pk
        assert kind.excerpt(loaded) == "x" * 300
        assert kind.url(loaded) == f"{board.get_absolute_url()}#comment-{comment.pk}"
        assert kind.conversation(loaded) == ("board", board.pk)
        assert content.conversation_of(loaded) == ("board", board.pk)
        assert kind.can_moderate(owner, loaded) and not kind.can_moderate(employee, loaded)

    def test_a_reply_belongs_to_its_forum(self, forum, colleague):
        reply = services.comment_create(author=colleague, target=forum, body="Hi")
        assert content.conversation_of(Comment.objects.get(pk=reply.pk)) == ("forum", forum.pk)

    def test_visibility_is_the_targets(self, make_board, colleague):
        private = make_board("private-board")
        member = UserFactory(department=private)
        comment = services.comment_create(author=member, target=private, body="Entre nous")
        loaded = Comment.objects.get(pk=comment.pk)
        assert content.visible_to(member, loaded)
        assert not content.visible_to(colleague, loaded)

    def test_a_comment_removed_by_its_author_is_not_moderated(self, board, owner, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Oops")
        services.comment_delete(actor=colleague, comment=comment)
        loaded = Comment.objects.get(pk=comment.pk)
        assert not content.kind_for(loaded).can_moderate(owner, loaded)

    def test_a_comment_on_unregistered_content_is_of_no_kind(self, colleague):
        comment = Comment(body="?", author=colleague)  # no target
        with pytest.raises(LookupError):
            content.kind_for(comment)


class TestCommentMenuModeration:
    @pytest.mark.parametrize(("slug", "key"), [("board", "comment"), ("forum-ideas", "reply")])
    def test_hide_writes_one_audit_row_one_notification_and_broadcasts_on_commit(
        self, client, make_board, owner, colleague, django_capture_on_commit_callbacks, slug, key
    ):
        target = make_board(slug)
        comment = services.comment_create(author=colleague, target=target, body="Rude words")
        after_comment_calls.clear()
        on_comment_calls.clear()
        client.force_login(owner)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(
                f"/interactions/comments/{comment.pk}/hide/",
                {"reason": "Be kind", "next": target.get_absolute_url()},
            )
            assert response.status_code == 302
            assert response["Location"].endswith(f"#comment-{comment.pk}")
            # Counters recounted in the moderation's transaction; nothing broadcast yet.
            assert on_comment_calls == [(comment.pk, False, True)]
            assert after_comment_calls == []
        for callback in callbacks:
            callback()
        assert after_comment_calls == [(comment.pk, False)]

        comment.refresh_from_db()
        assert comment.is_hidden and comment.hidden_by == owner
        assert comment.hidden_reason == "Be kind"
        entry = AuditEntry.objects.get()
        assert (entry.action, entry.actor, entry.target_id) == (
            f"{key}.hidden",
            owner,
            str(comment.pk),
        )
        notice = Notification.objects.get(kind="moderation")
        assert notice.recipient == colleague
        assert "Be kind" in notice.summary

    def test_restore_through_the_menu(self, client, board, owner, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        client.force_login(owner)
        client.post(f"/interactions/comments/{comment.pk}/hide/", {"reason": "Be kind"})
        client.post(f"/interactions/comments/{comment.pk}/restore/")
        assert not Comment.objects.get(pk=comment.pk).is_hidden
        assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
            "comment.hidden",
            "comment.restored",
        ]
        assert Notification.objects.filter(recipient=colleague, kind="moderation").count() == 2

    def test_the_author_reads_why_in_their_language(self, client, board, owner, colleague):
        colleague.preferred_language = "fr"
        colleague.save(update_fields=["preferred_language"])
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        client.force_login(owner)
        client.post(f"/interactions/comments/{comment.pk}/hide/", {"reason": "Soyez aimable"})
        summary = Notification.objects.get(recipient=colleague, kind="moderation").summary
        assert "commentaire" in summary and "Soyez aimable" in summary

    def test_hide_without_a_reason_keeps_nothing_hidden_and_the_form_comes_back(
        self, client, board, owner, colleague
    ):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        client.force_login(owner)
        response = client.post(f"/interactions/comments/{comment.pk}/hide/", {"reason": "  "})
        assert response.status_code == 302
        draft = client.session[DRAFTS_SESSION_KEY][f"hide:{comment.pk}"]
        assert draft["error"].startswith("Say why you hide it")
        assert not Comment.objects.get(pk=comment.pk).is_hidden
        assert not AuditEntry.objects.exists()
        assert not Notification.objects.filter(kind="moderation").exists()

    def test_a_too_long_reason_is_given_back(self, client, board, owner, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        client.force_login(owner)
        reason = "because " * 200
        client.post(f"/interactions/comments/{comment.pk}/hide/", {"reason": reason})
        assert client.session[DRAFTS_SESSION_KEY][f"hide:{comment.pk}"]["body"] == reason
        assert not Comment.objects.get(pk=comment.pk).is_hidden

    def test_json_refusal(self, client, board, owner, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        client.force_login(owner)
        response = client.post(
            f"/interactions/comments/{comment.pk}/hide/",
            {"reason": ""},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 400 and response.json()["ok"] is False


class TestTargetHooks:
    def test_a_new_comment_counts_inside_the_write_and_broadcasts_after_commit(
        self, board, colleague, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            comment = services.comment_create(author=colleague, target=board, body="Hello")
            assert on_comment_calls == [(comment.pk, True, True)]
            assert after_comment_calls == []
        for callback in callbacks:
            callback()
        assert after_comment_calls == [(comment.pk, True)]

    def test_a_failing_counter_rolls_the_comment_back(self, board, colleague, monkeypatch):
        def broken(self, comment, *, created):
            raise RuntimeError("counter table locked")

        monkeypatch.setattr(type(board), "interaction_on_comment", broken)
        with pytest.raises(RuntimeError), transaction.atomic():
            services.comment_create(author=colleague, target=board, body="Hello")
        assert not Comment.objects.exists()
        assert not ParticipationEvent.objects.exists()
        assert after_comment_calls == []

    def test_delete_recounts_an_edit_does_not(
        self, board, colleague, django_capture_on_commit_callbacks
    ):
        comment = services.comment_create(author=colleague, target=board, body="Helo")
        on_comment_calls.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_edit(editor=colleague, comment=comment, body="Hello")
        assert on_comment_calls == []
        assert after_comment_calls[-1] == (comment.pk, False)
        services.comment_delete(actor=colleague, comment=comment)
        assert on_comment_calls == [(comment.pk, False, True)]


class TestReactionUrls:
    def test_the_comment_key_reaches_a_reply_too(self, client, forum, colleague, employee):
        reply = services.comment_create(author=colleague, target=forum, body="Hi")
        client.force_login(employee)
        response = client.post(
            f"/interactions/comment/{reply.pk}/reactions/",
            {"kind": "like"},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 200 and response.json()["key"] == "comment"
        assert Reaction.objects.filter(object_id=reply.pk, user=employee).exists()

    def test_a_hidden_comment_is_out_of_reach(self, client, board, owner, colleague, employee):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        client.force_login(owner)
        client.post(f"/interactions/comments/{comment.pk}/hide/", {"reason": "Be kind"})
        client.force_login(employee)
        response = client.post(f"/interactions/comment/{comment.pk}/reactions/", {"kind": "like"})
        assert response.status_code == 404


def test_moderation_notice_for_an_english_reader(client, board, owner, colleague):
    comment = services.comment_create(author=colleague, target=board, body="Rude")
    client.force_login(owner)
    with translation.override("fr"):  # the moderator's language does not matter
        client.post(f"/interactions/comments/{comment.pk}/hide/", {"reason": "Be kind"})
    summary = Notification.objects.get(recipient=colleague, kind="moderation").summary
    assert summary.startswith("Your comment") and "Be kind" in summary
