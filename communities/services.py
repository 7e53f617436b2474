"""Every write of communities: membership, threads, moderation.

Each function: (1) checks permission through `communities.permissions`, (2) writes inside
`transaction.atomic()`, (3) records its participation event (when the action is one the
metrics count) in the same transaction, (4) broadcasts and notifies only on commit.
Notifications go through `notifications.services.notify`, which creates its rows in our
transaction and pushes on commit; recipients are always people who can see the target.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from activity.services import event_record
from communities import live, permissions
from communities.models import (
    AccessMode,
    Community,
    Membership,
    MembershipState,
    Role,
    Thread,
    ThreadKind,
)
from core.html import extract_mentions, mentioned_users, render_user_text
from people.models import User


class CommunityError(Exception):
    """A refused write with a message for the person (rendered as is by views)."""

    def __init__(self, message: Any) -> None:
        self.message = message
        super().__init__(str(message))


# --- Other apps' contracts, looked up lazily -------------------------------------------------
# governance and notifications are built alongside communities; their functions are looked up
# at call time so that communities keeps working (and importing) whatever their state.


def _contract(module_name: str, function_name: str):
    if importlib.util.find_spec(module_name) is None:
        return None
    return getattr(importlib.import_module(module_name), function_name, None)


def _charter_require(user: User) -> None:
    charter_require = _contract("governance.services", "charter_require")
    if charter_require is not None:
        charter_require(user)


def _audit(*, actor: User, action: str, target, before=None, after=None) -> None:
    audit_record = _contract("governance.services", "audit_record")
    if audit_record is not None:
        audit_record(actor=actor, action=action, target=target, before=before, after=after)


def _notify(
    *,
    recipients: Iterable[User],
    kind: str,
    actor: User,
    target: Any,
    url: str,
    summary: str,
    group_key=None,
) -> None:
    notify = _contract("notifications.services", "notify")
    if notify is None:
        return
    recipients = [r for r in recipients if r.pk != getattr(actor, "pk", None)]
    if recipients:
        notify(
            recipients=recipients,
            kind=kind,
            actor=actor,
            target=target,
            url=url,
            summary=summary,
            group_key=group_key,
        )


def _said_to(person: User, message: Any, params: dict[str, str]) -> str:
    """A one-person notification sentence in that person's language: the notification
    centre shows the summaries of these kinds (answers, memberships) as written."""
    with translation.override(person.preferred_language or None):
        return str(message) % params


def _on_commit(function, *args, **kwargs) -> None:
    transaction.on_commit(lambda: function(*args, **kwargs))


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


# --- Communities ------------------------------------------------------------------------------


RESERVED_SLUGS = {"new"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "communaute"
    slug, n = base, 2
    # "new" is the URL of the creation form, not a community.
    while slug in RESERVED_SLUGS or Community.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def community_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    access: str = AccessMode.OPEN,
    departments: Iterable = (),
    image=None,
    at: datetime | None = None,
) -> Community:
    """Create a community; its creator becomes its first manager and member."""
    if not permissions.can_create_community(actor):
        raise PermissionDenied
    if access not in AccessMode.values:
        raise CommunityError(_("Unknown access mode."))
    at = _now(at)
    with transaction.atomic():
        community = Community.objects.create(
            name=name.strip(),
            slug=_unique_slug(name),
            description=description.strip(),
            access=access,
            image=image or "",
            created_by=actor,
            created_at=at,
            last_activity_at=at,
        )
        community.departments.set(list(departments))
        Membership.objects.create(
            community=community,
            user=actor,
            role=Role.MANAGER,
            state=MembershipState.ACTIVE,
            created_at=at,
        )
        event_record(
            actor=actor, verb=Verb.JOINED, obj=community, community_id=community.pk, occurred_at=at
        )
    return community


def community_update(*, actor: User, community: Community, data: dict[str, Any]) -> Community:
    """Edit name, description, image, access and departments (managers)."""
    if not permissions.can_manage_community(actor, community):
        raise PermissionDenied
    with transaction.atomic():
        before = {"access": community.access, "name": community.name}
        for field in ("name", "description", "access"):
            if field in data:
                setattr(community, field, data[field])
        if data.get("image"):
            community.image = data["image"]
        elif data.get("image") is False:  # the "clear" box of the image field
            community.image = ""
        community.save()
        if "departments" in data:
            community.departments.set(list(data["departments"]))
        _audit(
            actor=actor,
            action="community.updated",
            target=community,
            before=before,
            after={"access": community.access, "name": community.name},
        )
    return community


# --- Membership -------------------------------------------------------------------------------


def _locked_membership(community: Community, user: User) -> Membership | None:
    return Membership.objects.select_for_update().filter(community=community, user=user).first()


def community_join(*, actor: User, community: Community, at: datetime | None = None) -> Membership:
    """Join an open community, or accept an invitation to any community."""
    at = _now(at)
    with transaction.atomic():
        membership = _locked_membership(community, actor)
        if not permissions.can_join_community(actor, community, membership):
            raise PermissionDenied
        if membership is None:
            membership = Membership.objects.create(
                community=community, user=actor, state=MembershipState.ACTIVE, created_at=at
            )
        else:  # an invitation, accepted
            membership.state = MembershipState.ACTIVE
            membership.created_at = at
            membership.save(update_fields=["state", "created_at"])
        event_record(
            actor=actor, verb=Verb.JOINED, obj=community, community_id=community.pk, occurred_at=at
        )
    return membership


def community_request(*, actor: User, community: Community) -> Membership:
    """Ask to join a by-request community; its managers are notified."""
    with transaction.atomic():
        membership = _locked_membership(community, actor)
        if not permissions.can_request_community(actor, community, membership):
            raise PermissionDenied
        membership = Membership.objects.create(
            community=community,
            user=actor,
            state=MembershipState.REQUESTED,
            created_at=timezone.now(),
        )
        from communities.selectors import community_managers

        _notify(
            recipients=community_managers(community),
            kind="join_request",
            actor=actor,
            target=community,
            url=community.get_absolute_url() + "members/",
            summary=str(
                _("%(person)s asks to join %(community)s")
                % {"person": actor.name, "community": community.name}
            ),
            group_key=f"community:{community.pk}:requests",
        )
    return membership


def _revoke_live(membership: Membership) -> None:
    _on_commit(
        live.broadcast_membership_revoked,
        user_id=membership.user_id,
        community_id=membership.community_id,
    )


def _ensure_a_manager_remains(membership: Membership) -> None:
    """A community never loses its last manager while it still has other members."""
    if membership.role != Role.MANAGER or membership.state != MembershipState.ACTIVE:
        return
    others = Membership.objects.filter(
        community_id=membership.community_id, state=MembershipState.ACTIVE
    ).exclude(pk=membership.pk)
    if others.exists() and not others.filter(role=Role.MANAGER).exists():
        raise CommunityError(
            _("Name another manager first: a community cannot be left without a manager.")
        )


def community_leave(*, actor: User, community: Community) -> None:
    """Leave, withdraw a request, or decline an invitation."""
    with transaction.atomic():
        membership = _locked_membership(community, actor)
        if not permissions.can_leave_community(actor, community, membership):
            raise PermissionDenied
        _ensure_a_manager_remains(membership)
        membership.delete()
        _revoke_live(membership)


def membership_approve(*, actor: User, membership: Membership) -> Membership:
    """A manager accepts a join request."""
    community = membership.community
    if not permissions.can_manage_community(actor, community):
        raise PermissionDenied
    at = timezone.now()
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.state != MembershipState.REQUESTED:
            raise CommunityError(_("This request was already answered."))
        membership.state = MembershipState.ACTIVE
        membership.decided_by = actor
        membership.created_at = at
        membership.save(update_fields=["state", "decided_by", "created_at"])
        event_record(
            actor=membership.user,
            verb=Verb.JOINED,
            obj=community,
            community_id=community.pk,
            occurred_at=at,
        )
        _notify(
            recipients=[membership.user],
            kind="membership",
            actor=actor,
            target=community,
            url=community.get_absolute_url(),
            summary=_said_to(
                membership.user,
                _("You are now a member of %(community)s"),
                {"community": community.name},
            ),
        )
    return membership


def membership_decline(*, actor: User, membership: Membership) -> None:
    """A manager refuses a request or withdraws an invitation."""
    if not permissions.can_manage_community(actor, membership.community):
        raise PermissionDenied
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.state == MembershipState.ACTIVE:
            raise CommunityError(_("This person is already a member."))
        membership.delete()


def community_invite(*, actor: User, community: Community, user: User) -> Membership:
    """A manager invites someone; they see the community and accept or decline."""
    if not permissions.can_manage_community(actor, community):
        raise PermissionDenied
    if not user.is_active:
        raise CommunityError(_("This account is deactivated."))
    with transaction.atomic():
        membership = _locked_membership(community, user)
        if membership is not None and membership.state == MembershipState.ACTIVE:
            raise CommunityError(_("%(person)s is already a member.") % {"person": user.name})
        if membership is not None and membership.state == MembershipState.REQUESTED:
            # They asked; inviting them is saying yes.
            return membership_approve(actor=actor, membership=membership)
        if membership is None:
            membership = Membership.objects.create(
                community=community,
                user=user,
                state=MembershipState.INVITED,
                decided_by=actor,
                created_at=timezone.now(),
            )
        _notify(
            recipients=[user],
            kind="membership",
            actor=actor,
            target=community,
            url=community.get_absolute_url(),
            summary=_said_to(
                user,
                _("%(person)s invites you to %(community)s"),
                {"person": actor.name, "community": community.name},
            ),
        )
    return membership


def member_remove(*, actor: User, membership: Membership) -> None:
    """A manager removes a member; their open pages of the community stop at once."""
    community = membership.community
    if not permissions.can_manage_community(actor, community):
        raise PermissionDenied
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _ensure_a_manager_remains(membership)
        membership.delete()
        _audit(
            actor=actor,
            action="membership.removed",
            target=community,
            before={"user": membership.user_id, "role": membership.role},
        )
        _revoke_live(membership)


def member_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Promote a member to manager, or a manager back to member."""
    community = membership.community
    if not permissions.can_manage_community(actor, community):
        raise PermissionDenied
    if role not in Role.values:
        raise CommunityError(_("Unknown role."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.state != MembershipState.ACTIVE:
            raise CommunityError(_("Only members can be managers."))
        if role == Role.MEMBER:
            _ensure_a_manager_remains(membership)
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        _audit(
            actor=actor,
            action="membership.role",
            target=community,
            before={"user": membership.user_id, "role": before},
            after={"user": membership.user_id, "role": role},
        )
    return membership


# --- Threads ----------------------------------------------------------------------------------


def thread_create(
    *,
    actor: User,
    community: Community,
    kind: str,
    title: str,
    body: str,
    at: datetime | None = None,
) -> Thread:
    """Start a discussion, ask a question or (managers) post an announcement."""
    _charter_require(actor)
    if kind not in ThreadKind.values:
        raise CommunityError(_("Unknown kind of thread."))
    if not permissions.can_start_thread(actor, community, kind):
        raise PermissionDenied
    at = _now(at)
    mentioned = mentioned_users(extract_mentions(body))
    with transaction.atomic():
        thread = Thread.objects.create(
            community=community,
            author=actor,
            kind=kind,
            title=title.strip(),
            body=body,
            body_html=str(render_user_text(body, mentioned)),
            created_at=at,
            last_activity_at=at,
        )
        # Only people who can see the thread hear of a mention: naming someone outside a
        # private community does not tell them it exists.
        _notify(
            recipients=[p for p in mentioned.values() if permissions.can_view_thread(p, thread)],
            kind="mention",
            actor=actor,
            target=thread,
            url=thread.get_absolute_url(),
            summary=str(
                _("%(name)s mentioned you in “%(title)s”")
                % {"name": actor.name, "title": thread.title}
            ),
        )
        Community.objects.filter(pk=community.pk).update(last_activity_at=at)
        event_record(
            actor=actor,
            verb=Verb.STARTED_THREAD,
            obj=thread,
            community_id=community.pk,
            occurred_at=at,
        )
        if kind == ThreadKind.ANNOUNCEMENT:
            from communities.selectors import community_member_users

            _notify(
                recipients=community_member_users(community),
                kind="announcement",
                actor=actor,
                target=thread,
                url=thread.get_absolute_url(),
                summary=str(
                    _("Announcement in %(community)s: %(title)s")
                    % {"community": community.name, "title": thread.title}
                ),
                group_key=f"community:{community.pk}:announcements",
            )
        _on_commit(live.broadcast_thread, thread, event="created")
    return thread


def thread_edit(*, actor: User, thread: Thread, title: str, body: str) -> Thread:
    if not permissions.can_edit_thread(actor, thread):
        raise PermissionDenied
    with transaction.atomic():
        thread.title = title.strip()
        thread.body = body
        thread.body_html = str(render_user_text(body))
        thread.edited_at = timezone.now()
        thread.save(update_fields=["title", "body", "body_html", "edited_at"])
        _on_commit(live.broadcast_thread, thread, event="changed")
    return thread


def thread_delete(*, actor: User, thread: Thread) -> None:
    """The author deletes their thread: it disappears everywhere (kept for the history)."""
    if not permissions.can_delete_thread(actor, thread):
        raise PermissionDenied
    with transaction.atomic():
        thread.deleted_at = timezone.now()
        thread.save(update_fields=["deleted_at"])
        _audit(actor=actor, action="thread.deleted", target=thread)
        _on_commit(live.broadcast_thread, thread, event="changed")


def _moderate(actor: User, thread: Thread, check, fields: dict[str, Any], action: str) -> Thread:
    if not check(actor, thread):
        raise PermissionDenied
    with transaction.atomic():
        before = {name: str(getattr(thread, name)) for name in fields}
        for name, value in fields.items():
            setattr(thread, name, value)
        thread.save(update_fields=list(fields))
        _audit(
            actor=actor,
            action=action,
            target=thread,
            before=before,
            after={name: str(value) for name, value in fields.items()},
        )
        _on_commit(live.broadcast_thread, thread, event="changed")
    return thread


def thread_pin(*, actor: User, thread: Thread, pinned: bool) -> Thread:
    return _moderate(
        actor,
        thread,
        permissions.can_pin_thread,
        {"pinned": pinned},
        "thread.pinned" if pinned else "thread.unpinned",
    )


def thread_lock(*, actor: User, thread: Thread, locked: bool) -> Thread:
    return _moderate(
        actor,
        thread,
        permissions.can_lock_thread,
        {"locked": locked},
        "thread.locked" if locked else "thread.unlocked",
    )


def thread_hide(*, actor: User, thread: Thread) -> Thread:
    """Moderation: the thread disappears for readers; who hid it and when is kept."""
    return _moderate(
        actor,
        thread,
        permissions.can_moderate_thread,
        {"hidden_at": timezone.now(), "hidden_by": actor},
        "thread.hidden",
    )


def thread_restore(*, actor: User, thread: Thread) -> Thread:
    return _moderate(
        actor,
        thread,
        permissions.can_moderate_thread,
        {"hidden_at": None, "hidden_by": None},
        "thread.restored",
    )


def thread_accept_answer(*, actor: User, thread: Thread, reply_id: int | None) -> Thread:
    """Mark which reply answers a question (None: no accepted answer any more)."""
    from communities import replies

    if not permissions.can_accept_answer(actor, thread):
        raise PermissionDenied
    reply = None
    if reply_id is not None:
        reply = replies.reply_of_thread(thread, reply_id)
        if reply is None:
            raise CommunityError(_("This reply is not part of this thread."))
    with transaction.atomic():
        thread.accepted_reply_id = reply.pk if reply is not None else None
        thread.answered_at = timezone.now() if reply is not None else None
        thread.save(update_fields=["accepted_reply_id", "answered_at"])
        if reply is not None:
            # Only people who can still see the thread hear of it (a removed member does not).
            _notify(
                recipients=[reply.author]
                if permissions.can_view_thread(reply.author, thread)
                else [],
                kind="answer_accepted",
                actor=actor,
                target=thread,
                url=thread.get_absolute_url(),
                summary=_said_to(
                    reply.author,
                    _("Your answer to “%(title)s” was accepted"),
                    {"title": thread.title},
                ),
            )
            if thread.author_id != actor.pk:
                # A manager accepted on the asker's behalf: the asker hears of it.
                _notify(
                    recipients=[thread.author],
                    kind="answer",
                    actor=actor,
                    target=thread,
                    url=thread.get_absolute_url(),
                    summary=_said_to(
                        thread.author,
                        _("Your question “%(title)s” has an accepted answer"),
                        {"title": thread.title},
                    ),
                )
        _on_commit(live.broadcast_thread, thread, event="changed")
    return thread


def thread_replies_changed(*, thread_id: int) -> Thread | None:
    """Recount a thread's visible replies and bump its activity (after a reply commits).

    Called by the interactions after-comment hook, outside the reply's transaction: safe to
    run twice, it recomputes rather than adds.
    """
    from communities import replies

    with transaction.atomic():
        thread = (
            Thread.objects.select_for_update(of=("self",))
            .select_related("community", "author")
            .filter(pk=thread_id)
            .first()
        )
        if thread is None:
            return None
        count, last_at = replies.reply_stats(thread)
        thread.reply_count = count
        if last_at is not None and last_at > thread.last_activity_at:
            thread.last_activity_at = last_at
            Community.objects.filter(pk=thread.community_id, last_activity_at__lt=last_at).update(
                last_activity_at=last_at
            )
        thread.save(update_fields=["reply_count", "last_activity_at"])
    return thread
