"""A stand-in target for the interactions tests: the "board" of a department.

Comments need a real model behind their generic foreign key, and this app owns no content
model of its own (posts and threads belong to blogs and communities, whose own tests exercise
their targets with these services). A *proxy* of `people.Department` needs no table and no
migration; it is registered with Django's app registry and as a content kind (`core.content`,
key "board") only for the duration of each test that asks for it, and removed afterwards, so
that nothing else (`makemigrations --check` run from another test, for instance) ever sees it.

The board's rules, encoded in its slug so that they survive a trip through the database:
- everyone sees a board, except `private-*` boards: only the department's members and
  administrators see those;
- `closed-*` boards (or `private-closed-*`) refuse new comments, with an explanation;
- the department head owns the board and moderates it, with administrators;
- `forum-*` boards are discussions: a comment on them is a "reply" (`comment_kind`), like a
  comment on a community thread, where on any other board it is a "comment" (like on a post).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from core import content
from core.content import ContentKind
from people.models import Department
from tests.factories import UserFactory

after_comment_calls: list[tuple[int, bool]] = []
# (comment id, created, whether a transaction was open when the hook ran)
on_comment_calls: list[tuple[int, bool, bool]] = []
_BOARD: Any = None


def _board_model() -> Any:
    global _BOARD
    if _BOARD is not None:
        return _BOARD

    class Board(Department):
        interaction_comment_verb = Verb.COMMENTED

        class Meta:
            proxy = True
            app_label = "interactions"

        def _private(self) -> bool:
            return self.slug.startswith("private-")

        def _closed(self) -> bool:
            return "closed-" in self.slug

        def interaction_visible_to(self, user) -> bool:
            if not (user.is_authenticated and user.is_active):
                return False
            return not self._private() or user.is_superuser or user.department_id == self.pk

        def interaction_can_comment(self, user) -> bool:
            return self.interaction_visible_to(user) and not self._closed()

        def interaction_comment_refusal(self, user) -> str | None:
            return (
                _("This board is closed; your comment was not published.")
                if self._closed()
                else None
            )

        def interaction_can_moderate(self, user) -> bool:
            return user.is_superuser or user.pk == self.head_id

        @property
        def interaction_owner(self):
            return self.head

        @property
        def interaction_community_id(self) -> int | None:
            return self.pk

        def interaction_on_comment(self, comment, *, created: bool) -> None:
            on_comment_calls.append(
                (comment.pk, created, transaction.get_connection().in_atomic_block)
            )

        def interaction_after_comment(self, comment, *, created: bool) -> None:
            after_comment_calls.append((comment.pk, created))

    _BOARD = Board
    return Board


@pytest.fixture(autouse=True)
def _english():
    """Assertions read English; the site's default language is French, and an earlier
    request may have left any language active in this thread."""
    with translation.override("en"):
        yield


def board_kind(model: Any, *, comment_kind: str = "comment") -> ContentKind:
    key = "board" if comment_kind == "comment" else "forum"
    return ContentKind(
        key=key,
        model=model,
        label="board",
        matches=lambda board: board.slug.startswith("forum-") == (comment_kind == "reply"),
        load=lambda pk: model.objects.filter(pk=pk).first(),
        visible_to=lambda user, board: board.interaction_visible_to(user),
        can_moderate=lambda user, board: board.interaction_can_moderate(user),
        author=lambda board: board.head,
        community_id=lambda board: board.pk,
        excerpt=lambda board: board.name,
        url=lambda board: board.get_absolute_url(),
        comment_kind=comment_kind,
        conversation=lambda board: (key, board.pk),
    )


@pytest.fixture
def board_model(db, monkeypatch):
    model = _board_model()
    registered = apps.all_models["interactions"]
    if registered.get("board") is not model:
        registered["board"] = model
        apps.clear_cache()
    # core.content has no unregister: the test's kinds go with monkeypatch's undo.
    monkeypatch.setitem(content._KINDS, "board", board_kind(model))
    monkeypatch.setitem(content._KINDS, "forum", board_kind(model, comment_kind="reply"))
    after_comment_calls.clear()
    on_comment_calls.clear()
    yield model
    registered.pop("board", None)
    apps.clear_cache()
    ContentType.objects.clear_cache()


@pytest.fixture
def owner(db):
    return UserFactory(username="olivia.owner", first_name="Olivia", last_name="Owner")


@pytest.fixture
def board(board_model, owner):
    return board_model.objects.create(name="Board", slug="board", head=owner)


@pytest.fixture
def make_board(board_model, owner):
    def make(slug: str, head=None):
        return board_model.objects.create(name=slug.title(), slug=slug, head=head or owner)

    return make
