"""interactions.selectors and the template includes: what each person sees, in few queries."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from governance.services import content_hide
from interactions import services
from interactions.models import Comment, Reaction
from interactions.selectors import (
    DRAFTS_SESSION_KEY,
    comment_counts,
    comment_thread,
    reaction_summary,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _render(source: str, user, **context) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.session = SessionStore()
    return Template("{% load interactions %}" + source).render(
        RequestContext(request, {"user": user, **context})
    )


def _bulk_comments(board, authors, count):
    """`count` comments with a reply and reactions each, written in bulk (speed of setup)."""
    board_type = ContentType.objects.get_for_model(board, for_concrete_model=False)
    now = timezone.now()
    tops = Comment.objects.bulk_create(
        [
            Comment(
                content_type=board_type,
                object_id=board.pk,
                author=authors[i % len(authors)],
                body=f"Comment {i}",
                body_html=f"<p>Comment {i}</p>",
                created_at=now,
            )
            for i in range(count // 2)
        ]
    )
    replies = Comment.objects.bulk_create(
        [
            Comment(
                content_type=board_type,
                object_id=board.pk,
                author=authors[(i + 1) % len(authors)],
                parent=top,
                body=f"Reply {i}",
                body_html=f"<p>Reply {i}</p>",
                created_at=now,
            )
            for i, top in enumerate(tops)
        ]
    )
    comment_type = ContentType.objects.get_for_model(Comment)
    Reaction.objects.bulk_create(
        [
            Reaction(
                user=author,
                content_type=comment_type,
                object_id=comment.pk,
                kind=kind,
                created_at=now,
            )
            for comment in tops + replies
            for author in authors[:3]
            for kind in ("like", "insightful")
        ]
    )
    return tops, replies


class TestCommentThread:
    def test_structure_states_and_permissions(self, board, owner, colleague, employee):
        top = services.comment_create(author=colleague, target=board, body="Top")
        reply = services.comment_create(author=employee, target=board, body="Reply", parent=top)
        removed = services.comment_create(author=employee, target=board, body="Oops")
        services.comment_delete(actor=employee, comment=removed)
        rude = services.comment_create(author=colleague, target=board, body="Rude")
        content_hide(actor=owner, obj=rude, reason="Be kind")
        services.reaction_toggle(user=employee, target=top, kind="like")
        services.reaction_toggle(user=colleague, target=top, kind="like")

        thread = comment_thread(target=board, viewer=employee)
        assert [c.pk for c in thread] == [top.pk, removed.pk, rude.pk]
        assert thread.count == 2  # top and its reply
        first, deleted, hidden = thread.comments
        assert [r.pk for r in first.thread_replies] == [reply.pk]
        assert first.reactions.counts == {"like": 2} and first.reactions.mine == {"like"}
        assert not first.can_edit and not first.can_delete and first.can_reply
        assert first.thread_replies[0].can_edit and first.thread_replies[0].can_delete
        assert not deleted.show_body and not deleted.can_delete
        assert not hidden.show_body and not hidden.show_hidden_reason
        assert not thread.can_moderate and not hidden.can_moderate

        # The author sees their hidden comment and why; the moderator sees it and may restore.
        author_view = comment_thread(target=board, viewer=colleague).comments[2]
        assert author_view.show_body and author_view.show_hidden_reason
        assert not author_view.can_edit
        moderator_view = comment_thread(target=board, viewer=owner).comments[2]
        assert moderator_view.show_body and moderator_view.can_moderate

    def test_invisible_target_gives_nothing(self, make_board, colleague):
        private = make_board("private-board")
        member = UserFactory(department=private)
        services.comment_create(author=member, target=private, body="Secret")
        thread = comment_thread(target=private, viewer=colleague)
        assert list(thread) == [] and thread.count == 0 and not thread.can_comment

    def test_closed_target_says_why(self, make_board, colleague):
        thread = comment_thread(target=make_board("closed-board"), viewer=colleague)
        assert not thread.can_comment
        assert thread.refusal == "This board is closed; your comment was not published."

    def test_bounded_queries_with_200_comments(
        self, board, owner, colleague, django_assert_max_num_queries
    ):
        authors = [UserFactory() for _ in range(5)]
        _bulk_comments(board, authors, 200)
        with django_assert_max_num_queries(2):
            thread = comment_thread(target=board, viewer=colleague)
            assert thread.count == 200
            assert sum(len(c.thread_replies) for c in thread) == 100
            assert all(c.author.department.name for c in thread)
        # The whole include, forms and reactions included, stays flat too.
        with django_assert_max_num_queries(4):
            html = _render("{% comments board %}", colleague, board=board)
        assert html.count('class="comment') >= 200
        assert html.count('data-kind="like"') == 200


class TestSummaries:
    def test_reaction_summary_and_counts_for_many_targets(
        self, make_board, colleague, employee, django_assert_max_num_queries
    ):
        boards = [make_board(f"board-{i}") for i in range(30)]
        for b in boards[:10]:
            services.reaction_toggle(user=colleague, target=b, kind="like")
            services.comment_create(author=employee, target=b, body="Hi")
        services.reaction_toggle(user=employee, target=boards[0], kind="like")
        with django_assert_max_num_queries(1):
            reaction_summary(targets=boards, viewer=employee)
        with django_assert_max_num_queries(1):
            comment_counts(targets=boards)
        assert boards[0].interaction_reactions.counts == {"like": 2}
        assert boards[0].interaction_reactions.mine == {"like"}
        assert boards[1].interaction_reactions.mine == set()
        assert boards[20].interaction_reactions.total == 0
        assert [b.interaction_comment_count for b in boards[9:11]] == [1, 0]


class TestIncludes:
    def test_comments_include_shows_states_and_controls_by_permission(
        self, board, owner, colleague, employee
    ):
        top = services.comment_create(author=colleague, target=board, body="Hello @olivia.owner")
        removed = services.comment_create(author=colleague, target=board, body="Secret text")
        services.comment_create(author=employee, target=board, body="A reply", parent=removed)
        services.comment_delete(actor=colleague, comment=removed)
        hidden = services.comment_create(author=employee, target=board, body="Rude words")
        content_hide(actor=owner, obj=hidden, reason="Be kind")

        html = _render("{% comments board %}", employee, board=board)
        assert "Comment removed" in html and "Secret text" not in html
        assert "A reply" in html
        assert "Hidden by moderation" in html and "Be kind" in html  # employee is the author
        assert f'href="{owner.get_absolute_url()}"' in html
        assert f"/interactions/comments/{top.pk}/edit/" not in html
        assert f"/interactions/comments/{hidden.pk}/hide/" not in html
        assert f'action="/interactions/board/{board.pk}/comments/"' in html
        assert '<label for="comment-form-body">' in html

        colleague_html = _render("{% comments board %}", colleague, board=board)
        assert f"/interactions/comments/{top.pk}/edit/" in colleague_html
        assert f"/interactions/comments/{top.pk}/delete/" in colleague_html
        assert "Rude words" not in colleague_html and "Be kind" not in colleague_html

        owner_html = _render("{% comments board %}", owner, board=board)
        assert f"/interactions/comments/{top.pk}/hide/" in owner_html
        assert f"/interactions/comments/{hidden.pk}/restore/" in owner_html
        assert "Rude words" in owner_html

    def test_closed_target_shows_the_reason_and_no_form(self, make_board, colleague):
        html = _render("{% comments b %}", colleague, b=make_board("closed-b"))
        assert "This board is closed" in html and "<textarea" not in html

    def test_reactions_include(self, board, colleague, employee):
        services.reaction_toggle(user=colleague, target=board, kind="celebrate")
        html = _render("{% reactions board %}", employee, board=board)
        assert f'action="/interactions/board/{board.pk}/reactions/"' in html
        assert 'aria-pressed="false"' in html and 'aria-live="polite"' in html
        assert html.count("<button") == 5

    def test_kept_draft_comes_back_once_with_its_error(self, board, colleague):
        request = RequestFactory().get("/somewhere/")
        request.user = colleague
        request.session = SessionStore()
        request.session[DRAFTS_SESSION_KEY] = {
            f"new:board:{board.pk}:0": {"body": "My long text", "error": "Too long."}
        }
        template = Template("{% load interactions %}{% comments board %}")
        html = template.render(RequestContext(request, {"user": colleague, "board": board}))
        assert "My long text</textarea>" in html and "Too long." in html
        html = template.render(RequestContext(request, {"user": colleague, "board": board}))
        assert "My long text" not in html

    def test_stylesheet_and_script_once_per_page(self, board, colleague, employee):
        services.comment_create(author=employee, target=board, body="Hi")
        html = _render(
            "{% reactions board %}{% comments board %}{% reactions board %}", colleague, board=board
        )
        assert html.count("interactions/interactions.css") == 1
        assert html.count("interactions/interactions.js") == 1

    def test_french(self, board, colleague, employee):
        removed = services.comment_create(author=employee, target=board, body="Hi")
        services.comment_delete(actor=employee, comment=removed)
        with translation.override("fr"):
            html = _render("{% comments board %}", colleague, board=board)
        assert "Commentaire supprimé" in html
        assert "0 commentaire" in html and "Publier" in html and "J’aime" not in html

    def test_reaction_bar_for_someone_who_may_not_react(self, make_board, owner, colleague):
        closed = make_board("closed-board")
        with translation.override("fr"):
            html = _render("{% reactions b %}", colleague, b=closed)
        assert "<button" not in html  # nobody reacted, nobody may: no empty bar of buttons
        from interactions.models import Reaction

        Reaction.objects.create(
            user=owner,
            content_type=ContentType.objects.get_for_model(closed, for_concrete_model=False),
            object_id=closed.pk,
            kind="support",
            created_at=timezone.now(),
        )
        with translation.override("fr"):
            html = _render("{% reactions b %}", colleague, b=closed)
        assert html.count("<button") == 1 and " disabled" in html and 'title="Soutien"' in html
