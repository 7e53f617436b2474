"""Every write of communities: membership, threads, pin and lock, community roles.

Each function: (1) checks permission through `communities.permissions`, (2) writes inside
`transaction.atomic()`, (3) records its participation event (when the action is one the
metrics count) in the same transaction, (4) broadcasts and notifies only on commit.
Notifications go through `notifications.services.notify`, which creates its rows in our
transaction, keeps only the recipients who may see the target (through the "thread" and
"community" kinds of `communities.content`), renders each summary in its recipient's language
and pushes on commit. Hiding and restoring a thread is not here: it goes through
`governance.services.content_hide` / `content_restore` like every kind of content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from activity.models import Verb
from activity.services import event_record
from communities import live, permissions, replies, selectors
from communities.models import (
    AccessMode,
    Community,
    Membership,
    MembershipState,
    Role,
    Thread,
    ThreadKind,
)
from communities.versions import community_changed
from console.permissions import can_change_rights
from core.feed import feed_changed, feed_changed_for
from core.html import extract_mentions, render_user_text
from core.refusals import Refusal
from governance.services import audit_record, charter_require
from interactions.mentions import mentioned_users, render_with_mentions
from notifications.services import broadcast_on_commit, notify
from people.models import Department, User


class CommunityError(Refusal):
    """A refused write of communities, with a message for the person (core.refusals)."""


def _on_commit(function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    # Live updates only: muted while the demo seeds (notifications.services.muted).
    broadcast_on_commit(lambda: function(*args, **kwargs))


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
    departments: Iterable[Department] = (),
    image: Any = None,
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
        feed_changed_for(actor.pk)
    return community


def community_audit_state(community: Community) -> dict[str, Any]:
    """What the audit log keeps of a community's settings (read from the row, not from a
    form-bound instance)."""
    return {
        "name": community.name,
        "description": community.description,
        "access": community.access,
        "image": community.image.name if community.image else "",
        "departments": sorted(community.departments.values_list("pk", flat=True)),
    }


def community_update(*, actor: User, community: Community, data: dict[str, Any]) -> Community:
    """Edit name, description, image, access and departments (managers).

    The caller's instance may already carry the new values (a bound ModelForm writes them on
    its instance while validating), so the row is read again, locked, and the audit's
    "before" is taken from it before anything is written.
    """
    if not permissions.can_manage_community(actor, community):
        raise PermissionDenied
    with transaction.atomic():
        locked = Community.objects.select_for_update().get(pk=community.pk)
        before = community_audit_state(locked)
        for field in ("name", "description", "access"):
            if field in data:
                setattr(locked, field, data[field])
        if data.get("image"):
            locked.image = data["image"]
        elif data.get("image") is False:  # the "clear" box of the image field
            locked.image = ""
        locked.save()
        if "departments" in data:
            locked.departments.set(list(data["departments"]))
        feed_changed()  # its name and access are in every member's feed
        after = community_audit_state(locked)
        if after != before:
            audit_record(
                actor=actor,
                action="community.updated",
                target=locked,
                before={k: v for k, v in before.items() if after[k] != v},
                after={k: v for k, v in after.items() if before[k] != v},
            )
    return locked


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
        feed_changed_for(actor.pk)
    return membership


def community_request(
    *, actor: User, community: Community, at: datetime | None = None
) -> Membership:
    """Ask to join a by-request community; its managers are notified."""
    with transaction.atomic():
        membership = _locked_membership(community, actor)
        if not permissions.can_request_community(actor, community, membership):
            raise PermissionDenied
        membership = Membership.objects.create(
            community=community,
            user=actor,
            state=MembershipState.REQUESTED,
            created_at=_now(at),
        )
        notify(
            recipients=selectors.community_managers(community),
            kind="join_request",
            actor=actor,
            target=community,
            url=community.get_absolute_url() + "members/",
            summary=(
                _("%(person)s asks to join %(community)s"),
                {"person": actor.name, "community": community.name},
            ),
            group_key=f"community:{community.pk}:requests",
        )
    return membership


def _revoke_live(membership: Membership) -> None:
    feed_changed_for(membership.user_id)  # its threads leave the person's feed at once
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


def community_leave(*, actor: User, community: Community, at: datetime | None = None) -> None:
    """Leave, withdraw a request, or decline an invitation. Leaving is an event (`left`):
    the metrics count members as they were each day."""
    with transaction.atomic():
        membership = _locked_membership(community, actor)
        if membership is None or not permissions.can_leave_community(actor, community, membership):
            raise PermissionDenied
        _ensure_a_manager_remains(membership)
        was_member = membership.state == MembershipState.ACTIVE
        membership.delete()
        if was_member:
            event_record(
                actor=actor,
                verb=Verb.LEFT,
                obj=community,
                community_id=community.pk,
                occurred_at=_now(at),
            )
        _revoke_live(membership)


def membership_approve(
    *, actor: User, membership: Membership, at: datetime | None = None
) -> Membership:
    """A manager accepts a join request: the member's `joined` event, dated `at`."""
    community = membership.community
    if not permissions.can_manage_community(actor, community):
        raise PermissionDenied
    at = _now(at)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.state != MembershipState.REQUESTED:
            raise CommunityError(_("This request was already answered."))
        membership.state = MembershipState.ACTIVE
        membership.decided_by = actor
        membership.created_at = at
        membership.save(update_fields=["state", "decided_by", "created_at"])
        feed_changed_for(membership.user_id)
        event_record(
            actor=membership.user,
            verb=Verb.JOINED,
            obj=community,
            community_id=community.pk,
            occurred_at=at,
        )
        notify(
            recipients=[membership.user],
            kind="membership",
            actor=actor,
            target=community,
            url=community.get_absolute_url(),
            summary=(_("You are now a member of %(community)s"), {"community": community.name}),
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


def community_invite(
    *, actor: User, community: Community, user: User, at: datetime | None = None
) -> Membership:
    """A manager invites someone; they see the community and accept or decline. The
    invitation is an event (`invited`, target: the person); membership starts on accepting."""
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
            return membership_approve(actor=actor, membership=membership, at=at)
        if membership is None:
            membership = Membership.objects.create(
                community=community,
                user=user,
                state=MembershipState.INVITED,
                decided_by=actor,
                created_at=_now(at),
            )
            event_record(
                actor=actor,
                verb=Verb.INVITED,
                obj=community,
                community_id=community.pk,
                target_user=user,
                occurred_at=_now(at),
            )
        notify(
            recipients=[user],
            kind="membership",
            actor=actor,
            target=community,
            url=community.get_absolute_url(),
            summary=(
                _("%(person)s invites you to %(community)s"),
                {"person": actor.name, "community": community.name},
            ),
        )
    return membership


def member_remove(*, actor: User, membership: Membership, at: datetime | None = None) -> None:
    """A manager removes a member; their open pages of the community stop at once. The
    removal is an event (`removed`, target: the member): membership as it was each day."""
    community = membership.community
    if not permissions.can_manage_community(actor, community):
        raise PermissionDenied
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _ensure_a_manager_remains(membership)
        was_member = membership.state == MembershipState.ACTIVE
        membership.delete()
        if was_member:
            event_record(
                actor=actor,
                verb=Verb.REMOVED,
                obj=community,
                community_id=community.pk,
                target_user=membership.user,
                occurred_at=_now(at),
            )
        audit_record(
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
        audit_record(
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
    charter_require(actor)
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
        # Only people who can see the thread hear of a mention (notify checks it through the
        # "thread" kind): naming someone outside a private community does not tell them it
        # exists.
        notify(
            recipients=list(mentioned.values()),
            kind="mention",
            actor=actor,
            target=thread,
            url=thread.get_absolute_url(),
            summary=(
                _("%(name)s mentioned you in “%(title)s”"),
                {"name": actor.name, "title": thread.title},
            ),
        )
        Community.objects.filter(pk=community.pk).update(last_activity_at=at)
        community_changed(community.pk)  # update() sends no signal (communities.versions)
        event_record(
            actor=actor,
            verb=Verb.STARTED_THREAD,
            obj=thread,
            community_id=community.pk,
            occurred_at=at,
        )
        if kind == ThreadKind.ANNOUNCEMENT:
            notify(
                recipients=selectors.community_member_users(community),
                kind="announcement",
                actor=actor,
                target=thread,
                url=thread.get_absolute_url(),
                summary=(
                    _("Announcement in %(community)s: %(title)s"),
                    {"community": community.name, "title": thread.title},
                ),
                group_key=f"community:{community.pk}:announcements",
            )
        _on_commit(live.broadcast_thread, thread, event="created")
        feed_changed()
    return thread


def thread_edit(*, actor: User, thread: Thread, title: str, body: str) -> Thread:
    if not permissions.can_edit_thread(actor, thread):
        raise PermissionDenied
    with transaction.atomic():
        thread.title = title.strip()
        thread.body = body
        thread.body_html = str(render_with_mentions(body))
        thread.edited_at = timezone.now()
        thread.save(update_fields=["title", "body", "body_html", "edited_at"])
        _on_commit(live.broadcast_thread, thread, event="changed")
        feed_changed()
    return thread


def thread_delete(*, actor: User, thread: Thread) -> None:
    """The author deletes their thread: it disappears everywhere (kept for the history)."""
    if not permissions.can_delete_thread(actor, thread):
        raise PermissionDenied
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        before = {"deleted_at": locked.deleted_at}
        thread.deleted_at = timezone.now()
        thread.save(update_fields=["deleted_at"])
        audit_record(
            actor=actor,
            action="thread.deleted",
            target=thread,
            before=before,
            after={"deleted_at": thread.deleted_at},
        )
        _on_commit(live.broadcast_thread, thread, event="changed")
        feed_changed()


def _moderate(
    actor: User,
    thread: Thread,
    check: Callable[[User, Thread], bool],
    fields: dict[str, Any],
    action: str,
) -> Thread:
    if not check(actor, thread):
        raise PermissionDenied
    with transaction.atomic():
        # The state before is the row's, locked, not the caller's copy (which may be stale).
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        before = {name: getattr(locked, name) for name in fields}
        for name, value in fields.items():
            setattr(thread, name, value)
        thread.save(update_fields=list(fields))
        audit_record(
            actor=actor,
            action=action,
            target=thread,
            before=before,
            after=dict(fields),
        )
        _on_commit(live.broadcast_thread, thread, event="changed")
        feed_changed()
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


def thread_accept_answer(
    *, actor: User, thread: Thread, reply_id: int | None, at: datetime | None = None
) -> Thread:
    """Mark which reply answers a question (None: no accepted answer any more); `at` dates
    the acceptance (default now)."""
    if not permissions.can_accept_answer(actor, thread):
        raise PermissionDenied
    reply = None
    if reply_id is not None:
        reply = replies.reply_of_thread(thread, reply_id)
        if reply is None:
            raise CommunityError(_("This reply is not part of this thread."))
    with transaction.atomic():
        thread.accepted_reply_id = reply.pk if reply is not None else None
        thread.answered_at = _now(at) if reply is not None else None
        thread.save(update_fields=["accepted_reply_id", "answered_at"])
        if reply is not None:
            # Only people who can still see the thread hear of it (a removed member does not):
            # notify checks it.
            notify(
                recipients=[reply.author],
                kind="answer_accepted",
                actor=actor,
                target=thread,
                url=thread.get_absolute_url(),
                summary=(_("Your answer to “%(title)s” was accepted"), {"title": thread.title}),
            )
            if thread.author_id != actor.pk:
                # A manager accepted on the asker's behalf: the asker hears of it.
                notify(
                    recipients=[thread.author],
                    kind="answer",
                    actor=actor,
                    target=thread,
                    url=thread.get_absolute_url(),
                    summary=(
                        _("Your question “%(title)s” has an accepted answer"),
                        {"title": thread.title},
                    ),
                )
        _on_commit(live.broadcast_thread, thread, event="changed")
        feed_changed()
    return thread


# --- Community roles, from the publishing-rights map -----------------------------------------


def community_role_set(*, actor: User, person: User, community_id: int, role: str) -> Membership:
    """Make an active member a manager of a community (announcements, moderation) or a member
    again, from governance's publishing-rights map: administrators only
    (`governance.permissions.can_change_rights`), checked and audited like a manager's own
    change (`member_set_role`)."""
    if not can_change_rights(actor):
        raise PermissionDenied
    membership = (
        Membership.objects.select_related("community", "user")
        .filter(community_id=community_id, user=person)
        .first()
    )
    if membership is None or membership.state != MembershipState.ACTIVE:
        raise CommunityError(
            _("%(person)s is not a member of this community: invite them first.")
            % {"person": person.name}
        )
    return member_set_role(actor=actor, membership=membership, role=role)
