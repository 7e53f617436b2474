"""Live updates of a session page: one group per session, every frame numbered by the
communities' sequence counter (`communities.live.send_sequenced`), so a page that sees a
number skipped (or a heartbeat reporting a higher one) asks the consumer for a `sync` and gets
the whole board again (`ama.selectors.session_state`: a session holds a bounded number of
questions, so a full resync is simpler and never wrong).

Broadcasts run in `transaction.on_commit` only, and carry what every viewer may know
(`selectors.question_payload`): never an anonymous author's name, never a hidden text.
"""

from __future__ import annotations

from ama import selectors
from ama.models import Question
from communities.live import current_seq, send_sequenced

__all__ = ["broadcast_question", "current_seq", "session_group"]


def session_group(session_id: int) -> str:
    return f"ama.session.{session_id}"


def broadcast_question(question: Question, *, event: str) -> None:
    """`event`: "created" or "changed" (a vote, an answer, a moderation)."""
    fresh = Question.objects.select_related("author", "answer").get(pk=question.pk)
    send_sequenced(
        session_group(question.session_id),
        {
            "type": "live.event",
            "event": f"question.{event}",
            "question": selectors.question_payload(fresh),
        },
    )
