"""Writes of comments and reactions, shared by blogs (posts) and communities (threads).

Every function is keyword-only and follows the house rule (DESIGN.md): permission check,
`transaction.atomic()`, the participation event in the same transaction, notifications rows
in the same transaction (the notifications contract), and everything else that leaves the
database (websocket broadcast through the target's `interaction_after_comment` hook) only in
`transaction.on_commit`.

Refusals raise `PermissionDenied`; bad input raises `ValidationError` with a translated
message meant to be shown next to the text the person typed (views keep that text).

Edits and deletions record no participation event: `activity.models.Verb` counts what people
contribute, and an edit is not a new contribution. Deletions go to the governance audit log
instead. Hiding and restoring a comment is not here: `governance.services.content_hide` /
`content_restore` do it for every kind (see `interactions.content`).

Notifications go through `notifications.services.notify`, which tells only the recipients who
may see the target and renders the `(lazy message, params)` summary in each one's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from activity.services import event_record
from core.html import extract_html_mentions, extract_mentions, render_user_text
from governance.services import audit_record, charter_require
from interactions.content import comment_target
from interactions.mentions import mentioned_users
from interactions.models import (
    COMMENT_MAX_LENGTH,
    Comment,
    Mention,
    Reaction,
    ReactionKind,
    TargetMention,
)
from interactions.permissions import can_delete_comment, can_react, can_view_comment_target
from interactions.targets import as_model, comment_refusal, target_content_type
from notifications.services import broadcast_on_commit, notify
from people.models import User

if TYPE_CHECKING:
    from interactions.targets import InteractionTarget

__all__ = [
    "comment_create",
    "comment_delete",
    "comment_edit",
    "reaction_toggle",
    "target_mentions_record",
]


def _on_comment(target: InteractionTarget, comment: Comment, *, created: bool) -> None:
    """Inside the write transaction: the target's counters (see targets.py)."""
    hook = getattr(target, "interaction_on_comment", None)  # optional hook
    if hook is not None:
        hook(comment, created=created)


def _after_comment(target: InteractionTarget, comment: Comment, *, created: bool) -> None:
    """On commit: the target's broadcast (see targets.py)."""
    hook = getattr(target, "interaction_after_comment", None)  # optional hook
    if hook is not None:
        broadcast_on_commit(lambda: hook(comment, created=created))


# --- Helpers ----------------------------------------------------------------------------------


def _clean_body(body: str | None) -> str:
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise ValidationError(
            _("Your comment is empty: write something before publishing it."), code="empty"
        )
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _(
                "Your comment is too long (%(length)d characters; at most %(limit)d). "
                "Shorten it and publish again."
            ),
            code="too_long",
            params={"length": len(body), "limit": COMMENT_MAX_LENGTH},
        )
    return body


def _target_of(comment: Comment) -> InteractionTarget:
    target = comment_target(comment)
    if target is None:
        raise ValidationError(
            _("This content was removed; your comment was not published."), code="gone"
        )
    return target


def _comment_url(target: InteractionTarget, comment: Comment) -> str:
    return f"{target.get_absolute_url()}#{comment.anchor}"


def _title(target: Any) -> str:
    return str(getattr(target, "title", "") or target)[:120]


def _check_can_comment(user: User, target: InteractionTarget) -> None:
    if not can_view_comment_target(user, target):
        raise PermissionDenied
    if not target.interaction_can_comment(user):
        reason = comment_refusal(user, target)
        if reason:
            raise ValidationError(reason, code="closed")
        raise PermissionDenied


def _mentions_save(
    comment: Comment,
    people: dict[str, User],
    *,
    author: User,
    existing: set[int] | None = None,
    at: datetime | None = None,
) -> list[User]:
    """Store who `comment` mentions now; return the people newly mentioned (not the author)."""
    wanted = {person.pk: person for person in people.values() if person.pk != author.pk}
    existing = existing or set()
    stale = existing - set(wanted)
    if stale:
        Mention.objects.filter(comment=comment, user_id__in=stale).delete()
    new = [person for pk, person in wanted.items() if pk not in existing]
    if new:
        now = at or timezone.now()
        Mention.objects.bulk_create(
            [Mention(comment=comment, user=person, created_at=now) for person in new],
            ignore_conflicts=True,
        )
    return new


def _notify_mentions(
    target: InteractionTarget, people: Iterable[User], *, actor: User, url: str
) -> None:
    # Only those who can see the target hear about it (`notify` filters): a mention in a
    # private community does not leak the conversation to a non-member.
    notify(
        recipients=people,
        kind="mention",
        actor=actor,
        target=as_model(target),
        url=url,
        summary=(
            _("%(name)s mentioned you in “%(title)s”"),
            {"name": actor.name, "title": _title(target)},
        ),
    )


def target_mentions_record(*, actor: User, target: InteractionTarget, html: str) -> list[User]:
    """The people `target`'s own text (`html`, a post body) names with @: those named for the
    first time are stored and notified ("mention", like a mention in a comment), once; a
    name already recorded, the actor and anyone who cannot see the target are not notified.
    Call inside the write transaction that publishes the text. Returns the newly mentioned."""
    people = mentioned_users(extract_html_mentions(html))
    wanted = {person.pk: person for person in people.values() if person.pk != actor.pk}
    if not wanted:
        return []
    content_type = target_content_type(target)
    existing = set(
        TargetMention.objects.filter(
            content_type=content_type, object_id=target.pk, user_id__in=wanted
        ).values_list("user_id", flat=True)
    )
    new = [person for pk, person in wanted.items() if pk not in existing]
    if not new:
        return []
    now = timezone.now()
    TargetMention.objects.bulk_create(
        [
            TargetMention(
                content_type=content_type, object_id=target.pk, user=person, created_at=now
            )
            for person in new
        ],
        ignore_conflicts=True,
    )
    _notify_mentions(target, new, actor=actor, url=target.get_absolute_url())
    return new


# What the owner of the target reads when someone comments on it, by notification kind.
_OWNER_SUMMARIES = {
    "comment": _("%(name)s commented on “%(title)s”"),
    "reply": _("%(name)s replied to “%(title)s”"),
    "answer": _("%(name)s answered your question “%(title)s”"),
}


def owner_notification_kind(target: InteractionTarget, comment: Comment) -> str | None:
    """The kind of notification the target's owner gets for a new top-level comment:
    "comment" unless the target's optional `interaction_owner_notification(comment)` hook
    says otherwise ("reply" for a discussion, "answer" for a question, None for nothing)."""
    hook = getattr(target, "interaction_owner_notification", None)
    return hook(comment) if hook is not None else "comment"


# --- Comments ---------------------------------------------------------------------------------


def comment_create(
    *,
    author: User,
    target: InteractionTarget,
    body: str,
    parent: Comment | None = None,
    at: datetime | None = None,
) -> Comment:
    """Publish `author`'s comment on `target`, or a reply to `parent` (one level: a reply to
    a reply attaches to the top-level comment).

    Raises `governance.exceptions.CharterNotAccepted` first when the author has not accepted
    the current charter, `PermissionDenied` when they may not comment here, and
    `ValidationError` for an empty or too long text, a closed target (with the target's own
    explanation) or a parent that was removed. Records the target's comment verb, stores
    mentions, and notifies the target's owner ("comment", top-level comments), the author of
    the comment answered ("reply"; also the `target_user` of the event) and the people
    mentioned who can see the target ("mention"), each at most once and never the author.

    `at` dates the comment and its event (default now): the demo writes its year of history
    through here, under `notifications.services.muted()`.
    """
    charter_require(author)
    body = _clean_body(body)
    _check_can_comment(author, target)
    content_type = target_content_type(target)
    answered: Comment | None = None
    with transaction.atomic():
        if parent is not None:
            parent = Comment.objects.select_related("author").filter(pk=parent.pk).first()
            if parent is None or (parent.content_type_id, parent.object_id) != (
                content_type.pk,
                target.pk,
            ):
                raise ValidationError(
                    _("You can only reply to a comment of this conversation."), code="parent"
                )
            # The person answered is the author of the comment clicked; the reply is stored
            # under the top-level comment (one level of nesting).
            answered = parent
            if parent.parent_id is not None:
                parent = Comment.objects.select_related("author").get(pk=parent.parent_id)
            if any(c.is_deleted or c.is_hidden for c in (parent, answered)):
                raise ValidationError(
                    _("The comment you answered was removed; your reply was not published."),
                    code="parent_removed",
                )
        people = mentioned_users(extract_mentions(body))
        comment = Comment.objects.create(
            content_type=content_type,
            object_id=target.pk,
            author=author,
            parent=parent,
            body=body,
            body_html=str(render_user_text(body, people)),
            created_at=at or timezone.now(),
        )
        # Written on `target`, already loaded: the event's conversation and the hooks below
        # read it through the generic relation, which would otherwise fetch it again.
        relation = cast(GenericForeignKey, Comment._meta.get_field("target"))
        relation.set_cached_value(comment, as_model(target))
        mentioned = _mentions_save(comment, people, author=author, at=comment.created_at)
        owner = target.interaction_owner
        event_record(
            actor=author,
            verb=target.interaction_comment_verb,
            obj=comment,
            community_id=target.interaction_community_id,
            target_user=answered.author if answered is not None else owner,
            occurred_at=comment.created_at,
        )

        _on_comment(target, comment, created=True)
        url = _comment_url(target, comment)
        notified: set[int] = {author.pk}
        if answered is not None:
            notify(
                recipients=[answered.author],
                kind="reply",
                actor=author,
                target=as_model(target),
                url=url,
                summary=(
                    _("%(name)s replied to your comment on “%(title)s”"),
                    {"name": author.name, "title": _title(target)},
                ),
            )
            notified.add(answered.author_id)
        mention_only = [p for p in mentioned if p.pk not in notified]
        _notify_mentions(target, mention_only, actor=author, url=url)
        notified.update(p.pk for p in mention_only)
        owner_kind = owner_notification_kind(target, comment)
        if parent is None and owner is not None and owner.pk not in notified and owner_kind:
            notify(
                recipients=[owner],
                kind=owner_kind,
                actor=author,
                target=as_model(target),
                url=url,
                summary=(
                    _OWNER_SUMMARIES.get(owner_kind, _OWNER_SUMMARIES["comment"]),
                    {"name": author.name, "title": _title(target)},
                ),
            )
        _after_comment(target, comment, created=True)
    return comment


def comment_edit(*, editor: User, comment: Comment, body: str) -> Comment:
    """Replace the text of `editor`'s own comment. Only the author edits, only a comment that
    is neither deleted nor hidden, and only while the author may still comment on the target.
    People newly mentioned by the edit are notified; nobody is notified twice."""
    target = _target_of(comment)
    if comment.author_id != editor.pk or not can_view_comment_target(editor, target):
        raise PermissionDenied
    body = _clean_body(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted or comment.is_hidden:
            raise ValidationError(
                _("This comment was removed; it can no longer be edited."), code="removed"
            )
        _check_can_comment(editor, target)
        if body == comment.body:
            return comment
        people = mentioned_users(extract_mentions(body))
        existing = set(comment.mentions.values_list("user_id", flat=True))
        comment.body = body
        comment.body_html = str(render_user_text(body, people))
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        new = _mentions_save(comment, people, author=editor, existing=existing)
        _notify_mentions(target, new, actor=editor, url=_comment_url(target, comment))
        _after_comment(target, comment, created=False)
    return comment


def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """The author removes their comment. Soft delete: the page shows "comment removed" in
    its place and its replies stay; the text is kept for the audit log, never shown."""
    target = _target_of(comment)
    if not can_delete_comment(actor, comment, target):
        raise PermissionDenied
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            return comment
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["deleted_at"])
        _on_comment(target, comment, created=False)
        audit_record(
            actor=actor,
            action="comment.deleted",
            target=comment,
            before={"deleted_at": None},  # the row was read, locked, above: not deleted
            after={"deleted_at": comment.deleted_at},
        )
        _after_comment(target, comment, created=False)
    return comment


# --- Reactions --------------------------------------------------------------------------------


def reaction_toggle(
    *, user: User, target: InteractionTarget, kind: str, at: datetime | None = None
) -> bool:
    """Add `user`'s reaction of `kind` to `target` (a post, a thread or a comment), or take it
    back if it is there. Returns True when the reaction is now on. Adding records a "reacted"
    event; taking back records nothing (the event log is append-only: it counts that people
    reacted, not what is currently displayed). `at` dates the reaction and its event."""
    if kind not in ReactionKind.values:
        raise ValidationError(_("This reaction does not exist."), code="kind")
    if not can_react(user, target):
        raise PermissionDenied
    content_type = target_content_type(target)
    with transaction.atomic():
        removed, _counts = Reaction.objects.filter(
            user=user, content_type=content_type, object_id=target.pk, kind=kind
        ).delete()
        if removed:
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(
                    user=user,
                    content_type=content_type,
                    object_id=target.pk,
                    kind=kind,
                    created_at=at or timezone.now(),
                )
        except IntegrityError:
            return True  # the same click arrived twice at once: the first one counted
        owner = target.interaction_owner
        event_record(
            actor=user,
            verb=Verb.REACTED,
            obj=as_model(target),
            community_id=target.interaction_community_id,
            target_user=owner,
            occurred_at=at,
        )
        if owner is not None and owner.pk != user.pk:
            # A reaction to a comment is about the conversation the comment belongs to.
            conversation = _target_of(target) if isinstance(target, Comment) else target
            notify(
                recipients=[owner],
                kind="reaction",
                actor=user,
                target=as_model(conversation),
                url=target.get_absolute_url(),
                summary=(
                    _("%(name)s reacted to your contribution to “%(title)s”"),
                    {"name": user.name, "title": _title(conversation)},
                ),
            )
    return True
