"""Writes of notifications: creating them, reading them, preferences and mutes.

`notify` is the contract other apps call (docs/architecture.md). Marking notifications read,
changing one's preferences and muting a conversation are personal bookkeeping, not
participation, so they record no participation event (DESIGN.md counts only what people do
with content).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.functional import Promise

from core import content
from notifications.emails import content_digest_email
from notifications.groups import user_group
from notifications.models import (
    ContentDigestSent,
    DigestFrequency,
    Kind,
    Mute,
    Notification,
    NotificationPreference,
)
from notifications.selectors import (
    UNREAD_CACHE_SECONDS,
    content_digest_for,
    preference_for,
    unread_cache_key,
)
from notifications.tasks import send_notification_email
from notifications.tokens import Scope
from people.models import User

__all__ = [
    "broadcast_on_commit",
    "content_digest_send",
    "is_muted",
    "mute_create",
    "mute_delete",
    "muted",
    "notifications_mark_groups_read",
    "notifications_mark_read",
    "notify",
    "preference_update",
    "unread_push",
    "unsubscribe_apply",
    "user_group",
]

logger = logging.getLogger(__name__)

SUMMARY_MAX = 500
PUSH_CONCURRENCY = 50


# Set while the demo writes a year of history through the services (`muted()`): nobody is told
# of year-old comments, no e-mail leaves, no live update goes out.
_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Silence every side effect meant for people while the block runs: `notify` writes no
    notification (so no unread push and no e-mail), and `broadcast_on_commit` drops the live
    updates scheduled inside the block, even when the transaction commits after it.

    For seeding and back-filling only (the demo, imports): the writes themselves, their
    participation events and audit rows are unchanged."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def broadcast_on_commit(callback: Callable[[], Any]) -> None:
    """Run `callback` (a websocket broadcast) once the current transaction commits, unless
    notifications are muted: when it is scheduled (the commit may happen after the `muted()`
    block ends) or when it runs."""
    if _muted.get():
        return

    def run() -> None:
        if not _muted.get():
            callback()

    transaction.on_commit(run)


# A notification's sentence: plain text, or a lazy message and its parameters rendered in each
# recipient's language.
Summary = str | tuple[Any, dict[str, Any]]


def _summary_for(summary: Summary, user: User, rendered: dict[str, str]) -> str:
    """`summary` in `user`'s language; `rendered` keeps each language's text, so a call with
    a thousand recipients renders the sentence once per language, not once per person."""
    if isinstance(summary, str):
        return summary
    language = user.preferred_language or settings.LANGUAGE_CODE
    if language not in rendered:
        message, params = summary
        with translation.override(language):
            rendered[language] = str(message) % {
                key: str(value) if isinstance(value, Promise) else value
                for key, value in params.items()
            }
    return rendered[language]


def _may_see(user: User, target: models.Model) -> bool:
    """Registered content is told only to those who may see it; other targets (a person) have
    no visibility rule of their own."""
    try:
        kind = content.kind_for(target)
    except LookupError:
        return True
    return kind.visible_to(user, target)


def _default_group_key(kind: str, content_type: ContentType | None, object_id: Any) -> str:
    # Without a key from the caller, what happened on the same target is one group ("3 new
    # comments on your post"); with no target, each notification stands alone.
    if content_type is None:
        return f"{kind}:{uuid.uuid4().hex}"
    return f"{kind}:{content_type.pk}:{object_id}"


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    actor: User | None,
    target: models.Model | None,
    url: str,
    summary: Summary,
    group_key: str | None = None,
) -> list[Notification]:
    """Notify `recipients` that `actor` did something (`kind`) on `target`.

    Precondition: called inside the caller's `transaction.atomic()`, after its own write, and
    only with recipients allowed to see `target` (the centre re-checks visibility anyway).
    `target` is what the action happened on: the post or thread (not the comment), so that
    muting it means "no more e-mail about this conversation"; `url` leads to the exact place
    (a comment anchor). `summary` is one plain-text sentence saying what happened ("Your
    answer to “Budget” was accepted"). The centre and e-mails show it as written for the kinds
    whose meaning only the caller knows (`messages.SUMMARY_KINDS`: answer, answer_accepted,
    membership, moderation); for the others they say it in each reader's own language from
    the kind, the actor and the target's title.

    One policy for every app: `summary` is either a plain string or, better, a lazy message
    and its parameters (`(_("%(name)s replied to “%(title)s”"), {...})`), rendered in each
    recipient's own language; and when `target` is registered content (`core.content`), only
    the recipients who may see it are notified, whatever the caller passed.

    Skips the actor, inactive accounts, duplicates, and people who switched this kind off.
    The rows are written in the caller's transaction; once it commits, each recipient's unread
    count is pushed to their sockets and the e-mails due at once are queued.
    """
    kind = Kind(kind).value  # an unknown kind is a programming error: fail loudly
    if _muted.get():
        return []
    actor_id = actor.pk if actor is not None else None
    by_id: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.pk != actor_id and user.is_active:
            by_id.setdefault(user.pk, user)
    if target is not None:
        by_id = {uid: user for uid, user in by_id.items() if _may_see(user, target)}
    if not by_id:
        return []
    preferences = {
        p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=list(by_id))
    }
    default = NotificationPreference()
    wanted = [uid for uid in by_id if preferences.get(uid, default).wants_in_app(kind)]
    if not wanted:
        return []

    # Same content type as interactions stores comments under (a proxy model keeps its own).
    content_type = (
        ContentType.objects.get_for_model(target, for_concrete_model=False)
        if target is not None
        else None
    )
    object_id = target.pk if target is not None else None
    key = (group_key or _default_group_key(kind, content_type, object_id))[:200]
    title = str(target)[:255] if target is not None else ""
    now = timezone.now()
    rendered: dict[str, str] = {}
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=uid,
                kind=kind,
                actor_id=actor_id,
                content_type=content_type,
                object_id=object_id,
                target_title=title,
                url=url[:500],
                summary=_summary_for(summary, by_id[uid], rendered)[:SUMMARY_MAX],
                group_key=key,
                created_at=now,
            )
            for uid in wanted
        ]
    )
    immediate = [
        n.pk
        for n in created
        if n.pk is not None and preferences.get(n.recipient_id, default).wants_immediate_email(kind)
    ]

    def after_commit() -> None:
        unread_push(wanted)
        if immediate:
            for notification_id in immediate:
                try:
                    send_notification_email.delay(notification_id)
                except Exception:
                    # The caller's action is committed: a broker outage must not turn it into
                    # an error page. The notification stays un-e-mailed, so the person's
                    # digest (if they chose one) still carries it.
                    logger.exception("could not queue e-mail for notification %s", notification_id)

    transaction.on_commit(after_commit)
    return created


def unread_push(user_ids: Iterable[int]) -> None:
    """Send each person's current unread count to their open sockets.

    Call after commit. The counts are read in one query; the channel-layer sends go out
    together, so an announcement to a large community does not cost one round trip each.
    """
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return
    counts = dict.fromkeys(ids, 0)
    rows = (
        Notification.objects.filter(recipient_id__in=ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["recipient_id"]] = row["n"]
    # Runs after commit: a cache or channel-layer outage must not turn the caller's committed
    # action into an error page. The cached count then expires on its own.
    try:
        cache.set_many(
            {unread_cache_key(uid): n for uid, n in counts.items()}, timeout=UNREAD_CACHE_SECONDS
        )
    except Exception:
        logger.exception("could not cache unread counts")
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        # Concurrent, but not unbounded: redis-py's async pool raises (rather than waits)
        # past its connection limit, which an announcement to thousands would reach.
        limit = asyncio.Semaphore(PUSH_CONCURRENCY)

        async def send(uid: int, count: int) -> None:
            async with limit:
                await layer.group_send(
                    user_group(uid), {"type": "notifications.unread", "count": count}
                )

        await asyncio.gather(*(send(uid, count) for uid, count in counts.items()))

    try:
        async_to_sync(send_all)()
    except Exception:  # the live badge is a convenience: never fail the caller's request
        logger.exception("could not push unread counts to %d people", len(counts))


@transaction.atomic
def notifications_mark_read(
    *, actor: User, notification: Notification | None = None, everything: bool = False
) -> int:
    """Mark read one notification's whole group, or all of the actor's notifications.

    Only ever touches the actor's own notifications. Returns how many changed.
    """
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if not everything:
        if notification is None or notification.recipient_id != actor.pk:
            return 0
        qs = qs.filter(group_key=notification.group_key)
    changed = qs.update(read_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: unread_push([actor.pk]))
    return changed


@transaction.atomic
def notifications_mark_groups_read(*, actor: User, group_keys: Iterable[str]) -> int:
    """Mark read the actor's notifications in these groups (those the centre had to hide)."""
    keys = list(group_keys)
    if not keys:
        return 0
    changed = Notification.objects.filter(
        recipient=actor, group_key__in=keys, read_at__isnull=True
    ).update(read_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: unread_push([actor.pk]))
    return changed


PREFERENCE_FIELDS = (
    "disabled_kinds",
    "email_disabled_kinds",
    "email_enabled",
    "email_immediate",
    "digest_frequency",
    "content_digest",
    "time_zone",
)


# "" is the site's zone (settings.TIME_ZONE); the others are IANA names.
TIME_ZONES = frozenset({"", *zoneinfo.available_timezones()})


@transaction.atomic
def preference_update(*, actor: User, **changes: Any) -> NotificationPreference:
    """Change the actor's own preferences; unknown fields and kinds are refused."""
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown preference fields: {sorted(unknown)}")
    for field in ("disabled_kinds", "email_disabled_kinds"):
        if field in changes:
            kinds = sorted({Kind(k).value for k in changes[field]})
            changes[field] = kinds
    if "digest_frequency" in changes:
        changes["digest_frequency"] = DigestFrequency(changes["digest_frequency"]).value
    if "time_zone" in changes and changes["time_zone"] not in TIME_ZONES:
        raise ValueError(f"unknown time zone: {changes['time_zone']!r}")
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
    for field, value in changes.items():
        setattr(preference, field, value)
    preference.full_clean()
    preference.save()
    return preference


@transaction.atomic
def mute_create(*, actor: User, target: models.Model) -> Mute:
    """Stop e-mail to the actor about `target` (idempotent)."""
    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    mute, _ = Mute.objects.get_or_create(
        user=actor,
        content_type=content_type,
        object_id=target.pk,
        defaults={"target_title": str(target)[:255]},
    )
    return mute


@transaction.atomic
def mute_create_for(*, actor: User, content_type_id: int, object_id: int, title: str = "") -> Mute:
    """Same as `mute_create` when only the target's identity is known (an unsubscribe link)."""
    mute, _ = Mute.objects.get_or_create(
        user=actor,
        content_type_id=content_type_id,
        object_id=object_id,
        defaults={"target_title": title[:255]},
    )
    return mute


@transaction.atomic
def mute_delete(*, actor: User, mute_id: int) -> bool:
    """Re-subscribe: remove one of the actor's own mutes."""
    deleted, _ = Mute.objects.filter(user=actor, pk=mute_id).delete()
    return bool(deleted)


def target_title(*, user: User, content_type_id: int, object_id: int) -> str:
    """What the person knew the target as: the title kept on their latest notification."""
    title = (
        Notification.objects.filter(
            recipient=user, content_type_id=content_type_id, object_id=object_id
        )
        .order_by("-created_at")
        .values_list("target_title", flat=True)
        .first()
    )
    return title or ""


def parse_target(value: str) -> tuple[int, int]:
    """ "<content type id>.<object id>" from an unsubscribe token, checked."""
    try:
        content_type_id, object_id = (int(part) for part in value.split(".", 1))
    except ValueError as error:
        raise ValueError("malformed target") from error
    if not ContentType.objects.filter(pk=content_type_id).exists() or object_id < 0:
        raise ValueError("unknown target")
    return content_type_id, object_id


@transaction.atomic
def unsubscribe_apply(*, actor: User, scope: str, value: str = "") -> None:
    """Apply a one-click unsubscribe for the actor (the token was already verified)."""
    if scope == Scope.TARGET:
        content_type_id, object_id = parse_target(value)
        mute_create_for(
            actor=actor,
            content_type_id=content_type_id,
            object_id=object_id,
            title=target_title(user=actor, content_type_id=content_type_id, object_id=object_id),
        )
    elif scope == Scope.KIND:
        kind = Kind(value).value
        current = NotificationPreference.objects.filter(user=actor).first()
        kinds = set(current.email_disabled_kinds) if current else set()
        preference_update(actor=actor, email_disabled_kinds=sorted(kinds | {kind}))
    elif scope == Scope.DIGEST:
        preference_update(actor=actor, digest_frequency=DigestFrequency.NEVER)
    elif scope == Scope.CONTENT_DIGEST:
        # Only this digest: the notification digest and the other e-mails go on.
        preference_update(actor=actor, content_digest=False)
    elif scope == Scope.ALL:
        preference_update(actor=actor, email_enabled=False)
    else:
        raise ValueError(f"unknown unsubscribe scope: {scope}")


def wants_content_digest(user: User) -> bool:
    """Whether `user` is to receive the content digest: an active account with an address,
    e-mail on, and the digest not switched off (the defaults say yes)."""
    if not (user.is_active and user.email):
        return False
    preference = preference_for(user)
    return preference.email_enabled and preference.content_digest


@transaction.atomic
def content_digest_send(*, recipient: User, week: date, now: datetime | None = None) -> int:
    """E-mail `recipient` the content digest of `week` (its local Monday), once.

    Returns how many items it held (0: nothing sent: switched off, already sent, or nothing
    new). The sent mark is written first, in this transaction: a second run (a retry, a
    duplicate beat, a worker re-delivering the task) waits on the mark's unique index and
    then finds it; a failed send rolls the mark back so that a retry sends. A week with
    nothing new keeps its mark with 0 items: nothing more is tried that week. Personal
    bookkeeping, not participation: no participation event.
    """
    if not wants_content_digest(recipient):
        return 0
    mark, created = ContentDigestSent.objects.get_or_create(user=recipient, week=week)
    if not created:
        return 0
    digest = content_digest_for(recipient, now=now or timezone.now())
    if digest.total:
        content_digest_email(recipient, digest).send()
        mark.items = digest.total
        mark.save(update_fields=["items"])
    return digest.total
