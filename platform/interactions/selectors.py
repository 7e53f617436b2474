"""Reads of comments and reactions, with visibility applied, in a bounded number of queries.

`comment_thread` builds a whole conversation (top-level comments, their replies, authors with
their departments, reaction counts and the viewer's own reactions) in two queries plus what the
target needs to answer its own permission questions once, however many comments and
reactions there are. `reaction_summary` and `comment_counts` do the same for lists of targets
(one query each for any number of targets, of any registered models).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse

from activity.models import Verb
from core.models import HIDDEN_REASON_MAX_LENGTH
from interactions import conversations
from interactions.models import REACTION_EMOJI, Comment, Reaction, ReactionKind
from interactions.permissions import (
    can_view_comment_target,
    may_delete_comment,
    may_edit_comment,
)
from interactions.registry import is_registered, key_for
from interactions.targets import can_react, comment_refusal, target_content_type

if TYPE_CHECKING:
    from django.http import HttpRequest

    from interactions.targets import InteractionTarget
    from people.models import User

__all__ = [
    "CommentThread",
    "ReactionCount",
    "ReactionSummary",
    "comment_counts",
    "comment_thread",
    "comment_thread_context",
    "reaction_summary",
]

TargetRef = tuple[int, int]  # (content type id, object id)


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    label: str
    emoji: str
    count: int
    mine: bool


@dataclass
class ReactionSummary:
    """Reaction counts of one target and which of them the viewer gave."""

    counts: dict[str, int] = field(default_factory=dict)
    mine: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def items(self) -> list[ReactionCount]:
        """Every kind, in the fixed order, with its count (buttons for people who may react)."""
        return [
            ReactionCount(
                kind=kind,
                label=str(label),
                emoji=REACTION_EMOJI[kind],
                count=self.counts.get(kind, 0),
                mine=kind in self.mine,
            )
            for kind, label in ReactionKind.choices
        ]

    @property
    def given(self) -> list[ReactionCount]:
        """Only the kinds someone gave (read-only display)."""
        return [item for item in self.items if item.count]


def _ref(target: Any) -> TargetRef:
    return target_content_type(target).pk, target.pk


def _summaries(refs: Iterable[TargetRef], viewer: User | None) -> dict[TargetRef, ReactionSummary]:
    """Reaction counts and the viewer's reactions for many targets, in one query."""
    by_type: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in refs:
        by_type[content_type_id].add(object_id)
    result: dict[TargetRef, ReactionSummary] = {
        (ct, pk): ReactionSummary() for ct, pks in by_type.items() for pk in pks
    }
    if not by_type:
        return result
    condition = Q()
    for content_type_id, object_ids in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=sorted(object_ids))
    viewer_id = getattr(viewer, "pk", None)
    rows = (
        Reaction.objects.filter(condition)
        .values("content_type_id", "object_id", "kind")
        .annotate(
            n=Count("id"),
            mine=Count("id", filter=Q(user_id=viewer_id))
            if viewer_id
            else Count("id", filter=Q(pk=None)),
        )
        .order_by()
    )
    for row in rows:
        summary = result[(row["content_type_id"], row["object_id"])]
        summary.counts[row["kind"]] = row["n"]
        if row["mine"]:
            summary.mine.add(row["kind"])
    return result


def reaction_summary(
    *, targets: Sequence[Any], viewer: User | None
) -> dict[TargetRef, ReactionSummary]:
    """Reaction counts and the viewer's own reactions for a list of targets (one query).

    Returns a dict keyed by (content type id, object id), and also sets
    `target.interaction_reactions` on each target, so that a list template can write
    `{% reactions post %}` without a query per row. The caller applies visibility to the
    list itself (only pass targets the viewer may see).
    """
    refs = {id(target): _ref(target) for target in targets}
    summaries = _summaries(refs.values(), viewer)
    for target in targets:
        target.interaction_reactions = summaries[refs[id(target)]]
    return summaries


def comment_counts(*, targets: Sequence[Any]) -> dict[TargetRef, int]:
    """How many published comments (neither deleted nor hidden) each target has, in one
    query; also set as `target.interaction_comment_count`."""
    refs = {id(target): _ref(target) for target in targets}
    by_type: dict[int, set[int]] = defaultdict(set)
    for content_type_id, object_id in refs.values():
        by_type[content_type_id].add(object_id)
    counts: dict[TargetRef, int] = dict.fromkeys(refs.values(), 0)
    if by_type:
        condition = Q()
        for content_type_id, object_ids in by_type.items():
            condition |= Q(content_type_id=content_type_id, object_id__in=sorted(object_ids))
        rows = (
            Comment.objects.published()
            .filter(condition)
            .values("content_type_id", "object_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            counts[(row["content_type_id"], row["object_id"])] = row["n"]
    for target in targets:
        target.interaction_comment_count = counts[refs[id(target)]]
    return counts


@dataclass
class CommentThread:
    """A conversation as a page shows it. Iterating gives the top-level comments; each has
    `thread_replies` (its replies, oldest first), `reactions` (a `ReactionSummary`) and the
    viewer's permissions `can_reply`, `can_edit`, `can_delete`, `can_moderate`, `can_react`,
    plus `show_body` (False for a removed comment and, for everyone but its author and the
    moderators, for a hidden one)."""

    target: Any
    comments: list[Comment]
    count: int
    reactions: ReactionSummary
    can_comment: bool
    can_moderate: bool
    can_react: bool
    refusal: str | None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.comments)

    def __len__(self) -> int:
        return len(self.comments)


def conversation_rights(
    target: InteractionTarget, viewer: User
) -> tuple[bool, bool, bool, bool, str | None]:
    """What `viewer` may do in the conversation of `target`: view, comment, moderate, react,
    and why commenting is refused (None when it is not)."""
    may_view = can_view_comment_target(viewer, target)
    may_comment = may_view and bool(target.interaction_can_comment(viewer))
    may_moderate = may_view and bool(target.interaction_can_moderate(viewer))
    may_react = may_view and can_react(viewer, target)
    refusal = None if may_comment or not may_view else comment_refusal(viewer, target)
    return may_view, may_comment, may_moderate, may_react, refusal


def comment_thread(
    *, target: InteractionTarget, viewer: User, only_ids: Iterable[int] | None = None
) -> CommentThread:
    """The comments of `target` as `viewer` may see them.

    With `only_ids`, only those comments, each decorated exactly as on the full page, as a
    flat list (a live update renders a reply per reader with the page's own include; see
    communities.live_render).

    Precondition: the viewer may see the target (the caller resolved it through its own
    visibility rule or `interactions.registry.target_get`); otherwise the thread is empty.
    Deleted comments stay in place as "comment removed" so that their replies keep their
    context; hidden ones read "hidden by moderation" except for their author (who also sees
    the reason) and the moderators.
    """
    may_view, may_comment, may_moderate, may_react, refusal = conversation_rights(target, viewer)
    if not may_view:
        return CommentThread(target, [], 0, ReactionSummary(), False, False, False, None)

    if only_ids is None:
        # Versions first, rows after (interactions.conversations).
        stamp = conversations.versions(target)
        key = conversations.entry_key(target, viewer, stamp, (may_comment, may_moderate, may_react))
        kept = conversations.entry_get(key)
        if kept is None:
            kept = _conversation(target, viewer, may_comment, may_moderate, may_react, None)
            for comment in kept[0]:
                for item in (comment, *comment.thread_replies):
                    item.conversation_key = key
            conversations.entry_set(key, kept)
    else:
        kept = _conversation(target, viewer, may_comment, may_moderate, may_react, only_ids)
    top, published, reactions = kept
    return CommentThread(
        target=target,
        comments=top,
        count=published,
        reactions=reactions,
        can_comment=may_comment,
        can_moderate=may_moderate,
        can_react=may_react,
        refusal=refusal,
    )


def _conversation(
    target: InteractionTarget,
    viewer: User,
    may_comment: bool,
    may_moderate: bool,
    may_react: bool,
    only_ids: Iterable[int] | None,
) -> tuple[list[Comment], int, ReactionSummary]:
    """The top-level comments (replies in `thread_replies`), decorated for `viewer`; how many
    are published; the target's own reactions. Two queries."""
    content_type = target_content_type(target)
    rows = Comment.objects.filter(content_type=content_type, object_id=target.pk)
    if only_ids is not None:
        rows = rows.filter(pk__in=list(only_ids))
    comments = list(
        rows.select_related("author__department", "hidden_by").order_by("created_at", "id")
    )
    comment_type_id = target_content_type(Comment).pk
    summaries = _summaries(
        [(content_type.pk, target.pk)] + [(comment_type_id, c.pk) for c in comments], viewer
    )

    top: list[Comment] = []
    replies: dict[int, list[Comment]] = defaultdict(list)
    published = 0
    for comment in comments:
        hidden_for_viewer = comment.is_hidden and not (
            may_moderate or comment.author_id == viewer.pk
        )
        comment.show_body = not comment.is_deleted and not hidden_for_viewer
        comment.show_hidden_reason = comment.is_hidden and (
            may_moderate or comment.author_id == viewer.pk
        )
        alive = not comment.is_deleted and not comment.is_hidden
        published += alive
        comment.reactions = summaries[(comment_type_id, comment.pk)]
        comment.can_reply = may_comment and alive
        comment.can_edit = may_edit_comment(viewer, comment, may_comment=may_comment)
        comment.can_delete = may_delete_comment(viewer, comment, may_view=True)
        comment.can_moderate = may_moderate and not comment.is_deleted
        comment.can_react = may_react and alive
        comment.thread_replies = []
        if comment.parent_id is None or only_ids is not None:
            top.append(comment)
        else:
            replies[comment.parent_id].append(comment)
    for comment in top:
        comment.thread_replies = replies.get(comment.pk, [])
    _add_urls(comments)
    return top, published, summaries[(content_type.pk, target.pk)]


# --- What the templates need ------------------------------------------------------------------


def _add_urls(comments: list[Comment]) -> None:
    """Set `reaction_url` and `author_url` on each comment: reversing two URLs for each of
    200 comments is a good part of a long page's rendering time; one pattern per page and one
    profile URL per author do the same."""
    if not comments:
        return
    pattern = reverse("interactions:reaction_toggle", args=["comment", 999999999])
    author_urls: dict[int, str] = {}
    for comment in comments:
        comment.reaction_url = pattern.replace("999999999", str(comment.pk))
        url = author_urls.get(comment.author_id)
        if url is None:
            url = author_urls[comment.author_id] = comment.author.get_absolute_url()
        comment.author_url = url


DRAFTS_SESSION_KEY = "interactions.drafts"


def draft_key(kind: str, *parts: Any) -> str:
    """Where a view keeps text it could not publish: ("new", key, pk, parent) or ("edit", pk)
    or ("hide", pk)."""
    return ":".join([kind, *(str(p) for p in parts)])


def drafts_pop(request: HttpRequest | None, keys: Iterable[str]) -> dict[str, dict[str, str]]:
    """Take back (once) the texts kept for these forms (see `draft_key`)."""
    if request is None or not hasattr(request, "session"):
        return {}
    stored: dict[str, dict[str, str]] = request.session.get(DRAFTS_SESSION_KEY) or {}
    if not stored:
        return {}
    wanted = set(keys)
    found = {k: v for k, v in stored.items() if k in wanted}
    if found:
        request.session[DRAFTS_SESSION_KEY] = {k: v for k, v in stored.items() if k not in found}
    return found


def comment_thread_context(
    target: InteractionTarget,
    viewer: User,
    *,
    request: HttpRequest | None = None,
    only_ids: Iterable[int] | None = None,
) -> dict[str, Any]:
    """Everything `interactions/includes/comments.html` needs, in one call.

    With `request`, text the person typed but could not publish (refused, empty, charter to
    accept first) comes back into its form with the error, exactly once.
    """
    thread = comment_thread(target=target, viewer=viewer, only_ids=only_ids)
    key = key_for(target)
    items = [item for comment in thread.comments for item in [comment, *comment.thread_replies]]
    drafts: dict[str, dict[str, str]] = {}
    session = getattr(request, "session", None)
    if session is not None and session.get(DRAFTS_SESSION_KEY):  # only after a refused form
        wanted = [draft_key("new", key, target.pk, 0)]
        for item in items:
            wanted += [
                draft_key("new", key, target.pk, item.pk),
                draft_key("edit", item.pk),
                draft_key("hide", item.pk),
            ]
        drafts = drafts_pop(request, wanted)
    for item in items:
        item.edit_draft = drafts.get(draft_key("edit", item.pk))
        item.hide_draft = drafts.get(draft_key("hide", item.pk))
        item.reply_draft = drafts.get(draft_key("new", key, target.pk, item.pk))
    for comment in thread.comments:
        # A reply typed under a reply belongs to the top-level comment's form.
        for reply in comment.thread_replies:
            comment.reply_draft = comment.reply_draft or reply.reply_draft
    new = drafts.get(draft_key("new", key, target.pk, 0))
    is_discussion = getattr(target, "interaction_comment_verb", "") == Verb.REPLIED
    # A `{% reactions target %}` rendered after the comments reuses the counts read here.
    # The target is any registered model (a post, a thread): this per-request attribute is not
    # part of the target protocol, which every target would otherwise have to declare.
    target.interaction_reactions = thread.reactions  # type: ignore[attr-defined]
    return {
        # "thread" is the historical name; "conversation" does not clash with a page's own
        # `thread` variable (communities).
        "thread": thread,
        "conversation": thread,
        "target": target,
        "target_key": key,
        "target_url": target.get_absolute_url(),
        "next_url": request.get_full_path() if request is not None else target.get_absolute_url(),
        "draft": new,
        "reason_max_length": HIDDEN_REASON_MAX_LENGTH,
        "is_discussion": is_discussion,
        "viewer": viewer,
    }


def reactions_context(
    target: Any, viewer: User, *, request: HttpRequest | None = None
) -> dict[str, Any]:
    """What `interactions/includes/reactions.html` needs for one target. Uses the summary
    `reaction_summary` attached to it when there is one (lists), else one query."""
    summary = getattr(target, "interaction_reactions", None)
    if summary is None:
        summary = _summaries([_ref(target)], viewer)[_ref(target)]
    may_react = getattr(target, "can_react", None)
    if may_react is None:
        may_react = can_react(viewer, target)
    return {
        "reaction_target": target,
        "reaction_key": key_for(target) if is_registered(target) else None,
        "summary": summary,
        "can_react": bool(may_react) and is_registered(target),
        "next_url": request.get_full_path() if request is not None else target.get_absolute_url(),
    }
