"""The POST endpoints: every path refuses what the services refuse, and nothing typed is lost."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from governance.models import Charter
from interactions import services
from interactions.models import Comment, Reaction
from interactions.selectors import DRAFTS_SESSION_KEY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_client(client, colleague):
    client.force_login(colleague)
    return client


def _create_url(board):
    return f"/interactions/board/{board.pk}/comments/"


class TestCommentCreateView:
    def test_publish_and_redirect_back_to_the_comment(self, colleague_client, board):
        response = colleague_client.post(_create_url(board), {"body": "Hello", "next": "/people/"})
        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/people/#comment-{comment.pk}"

    def test_next_outside_the_site_is_ignored(self, colleague_client, board):
        response = colleague_client.post(
            _create_url(board), {"body": "Hello", "next": "https://evil.example/"}
        )
        assert response["Location"].startswith(board.get_absolute_url())

    def test_get_is_not_allowed(self, colleague_client, board):
        assert colleague_client.get(_create_url(board)).status_code == 405

    def test_anonymous_is_sent_to_login(self, client, board):
        response = client.post(_create_url(board), {"body": "Hello"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not Comment.objects.exists()

    def test_empty_comment_keeps_nothing_lost_and_says_why(self, colleague_client, board):
        response = colleague_client.post(_create_url(board), {"body": "   "})
        assert response.status_code == 302
        assert response["Location"].endswith("#comment-form")
        drafts = colleague_client.session[DRAFTS_SESSION_KEY]
        assert drafts[f"new:board:{board.pk}:0"]["error"].startswith("Your comment is empty")

    def test_too_long_comment_keeps_the_text(self, colleague_client, board):
        text = "word " * 2_001
        colleague_client.post(_create_url(board), {"body": text})
        draft = colleague_client.session[DRAFTS_SESSION_KEY][f"new:board:{board.pk}:0"]
        assert draft["body"] == text and "too long" in draft["error"]
        assert not Comment.objects.exists()

    def test_closed_target_keeps_the_text_and_explains(self, colleague_client, make_board):
        closed = make_board("closed-board")
        colleague_client.post(_create_url(closed), {"body": "My thoughts"})
        draft = colleague_client.session[DRAFTS_SESSION_KEY][f"new:board:{closed.pk}:0"]
        assert draft == {
            "body": "My thoughts",
            "error": "This board is closed; your comment was not published.",
        }

    @pytest.mark.parametrize("path", ["private-board", "missing", "unknown-key"])
    def test_invisible_missing_or_unregistered_target_is_404_with_the_text(
        self, colleague_client, make_board, path
    ):
        private = make_board("private-board")
        url = {
            "private-board": _create_url(private),
            "missing": f"/interactions/board/{private.pk + 1000}/comments/",
            "unknown-key": f"/interactions/department/{private.pk}/comments/",
        }[path]
        response = colleague_client.post(url, {"body": "Kept text"})
        assert response.status_code == 404
        assert "Kept text" in response.content.decode()
        assert not Comment.objects.exists()

    def test_charter_gate_keeps_the_text(self, colleague_client, board, administrator):
        Charter.objects.create(
            version=1,
            title_fr="Charte",
            title_en="Charter",
            body_fr="Soyez aimables.",
            body_en="Be kind.",
            created_by=administrator,
            published_at=timezone.now(),
        )
        response = colleague_client.post(_create_url(board), {"body": "First words"})
        assert response.status_code == 302 and "gate=1" in response["Location"]
        # Back to the page's form after the charter, not to this POST-only endpoint.
        query = parse_qs(urlsplit(response["Location"]).query)
        assert query["next"] == [f"{board.get_absolute_url()}#comment-form"]
        draft = colleague_client.session[DRAFTS_SESSION_KEY][f"new:board:{board.pk}:0"]
        assert draft["body"] == "First words"
        assert not Comment.objects.exists()

    def test_reply(self, colleague_client, board, employee):
        top = services.comment_create(author=employee, target=board, body="Top")
        colleague_client.post(_create_url(board), {"body": "Reply", "parent": top.pk})
        assert Comment.objects.get(body="Reply").parent == top

    def test_json(self, colleague_client, board):
        response = colleague_client.post(
            _create_url(board), {"body": ""}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 400 and response.json()["ok"] is False
        response = colleague_client.post(
            _create_url(board), {"body": "Hi"}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 201 and response.json()["id"] == Comment.objects.get().pk


class TestCommentChangeViews:
    def test_cannot_edit_or_delete_someone_elses_comment_by_direct_post(
        self, client, board, colleague, employee
    ):
        comment = services.comment_create(author=employee, target=board, body="Mine")
        client.force_login(colleague)
        assert (
            client.post(f"/interactions/comments/{comment.pk}/edit/", {"body": "X"}).status_code
            == 403
        )
        assert client.post(f"/interactions/comments/{comment.pk}/delete/").status_code == 403
        assert (
            client.post(f"/interactions/comments/{comment.pk}/hide/", {"reason": "x"}).status_code
            == 403
        )
        comment.refresh_from_db()
        assert comment.body == "Mine" and not comment.is_deleted and not comment.is_hidden

    def test_comment_in_an_invisible_target_is_404_for_every_action(
        self, client, make_board, colleague
    ):
        private = make_board("private-board")
        member = UserFactory(department=private)
        comment = services.comment_create(author=member, target=private, body="Secret")
        client.force_login(colleague)
        for action in ("edit", "delete", "hide", "restore"):
            response = client.post(
                f"/interactions/comments/{comment.pk}/{action}/", {"body": "x", "reason": "x"}
            )
            assert response.status_code == 404, action
        response = client.post(f"/interactions/comment/{comment.pk}/reactions/", {"kind": "like"})
        assert response.status_code == 404
        assert "Secret" not in response.content.decode()

    def test_author_edits_and_deletes(self, colleague_client, board, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Helo")
        response = colleague_client.post(
            f"/interactions/comments/{comment.pk}/edit/", {"body": "Hello"}
        )
        assert response["Location"].endswith(f"#comment-{comment.pk}")
        assert Comment.objects.get(pk=comment.pk).body == "Hello"
        colleague_client.post(f"/interactions/comments/{comment.pk}/delete/")
        assert Comment.objects.get(pk=comment.pk).is_deleted

    def test_bad_edit_keeps_the_text(self, colleague_client, board, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Hello")
        colleague_client.post(f"/interactions/comments/{comment.pk}/edit/", {"body": "y" * 10_001})
        draft = colleague_client.session[DRAFTS_SESSION_KEY][f"edit:{comment.pk}"]
        assert draft["body"] == "y" * 10_001
        assert Comment.objects.get(pk=comment.pk).body == "Hello"

    def test_moderator_hides_and_restores(self, client, board, owner, colleague):
        comment = services.comment_create(author=colleague, target=board, body="Rude")
        client.force_login(owner)
        client.post(f"/interactions/comments/{comment.pk}/hide/", {"reason": "Be kind"})
        assert Comment.objects.get(pk=comment.pk).hidden_reason == "Be kind"
        client.post(f"/interactions/comments/{comment.pk}/restore/")
        assert not Comment.objects.get(pk=comment.pk).is_hidden


class TestReactionView:
    def test_toggle_with_and_without_json(self, colleague_client, board):
        url = f"/interactions/board/{board.pk}/reactions/"
        response = colleague_client.post(url, {"kind": "like"})
        assert response.status_code == 302
        assert Reaction.objects.count() == 1
        response = colleague_client.post(url, {"kind": "like"}, HTTP_ACCEPT="application/json")
        assert response.json() == {
            "ok": True,
            "added": False,
            "key": "board",
            "counts": {},
            "mine": [],
        }
        assert not Reaction.objects.exists()

    def test_invisible_target_is_404(self, colleague_client, make_board):
        private = make_board("private-board")
        response = colleague_client.post(
            f"/interactions/board/{private.pk}/reactions/", {"kind": "like"}
        )
        assert response.status_code == 404 and not Reaction.objects.exists()

    def test_closed_target_is_403(self, colleague_client, make_board):
        closed = make_board("closed-board")
        response = colleague_client.post(
            f"/interactions/board/{closed.pk}/reactions/", {"kind": "like"}
        )
        assert response.status_code == 403 and not Reaction.objects.exists()

    def test_unknown_kind_says_so(self, colleague_client, board):
        response = colleague_client.post(
            f"/interactions/board/{board.pk}/reactions/",
            {"kind": "angry"},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 400 and not Reaction.objects.exists()
