"""Writes on blogs: one function per write (DESIGN.md, "How data flows").

Each function checks permission through blogs.permissions, writes inside one transaction and
records its participation event in that same transaction. Posts written in Wagtail's editor are
saved and published by Wagtail itself, whose checks ask the same permissions (the pages'
`permissions_for_user`); their "posted" event is recorded by `post_publication_record`, called
from Wagtail's page_published signal, so that both paths count the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import GroupPagePermission

from activity.models import ParticipationEvent, Verb
from activity.services import event_record
from blogs.models import (
    BlogIndexPage,
    BlogPage,
    Delegation,
    FeedToken,
    Follow,
    PostPage,
    PostSubmission,
    ReviewRequest,
)
from blogs.permissions import (
    can_delete_post,
    can_follow,
    can_manage_delegates,
    can_mark_draft_ready,
    can_publish_on_blog,
    can_publish_post,
    can_unpublish_post,
    can_write_on_blog,
    is_delegate_of,
)
from core.feed import feed_changed, feed_changed_for
from core.html import sanitize_rich_text
from core.models import route_cache_clear
from governance.services import audit_record, charter_require
from interactions.services import target_mentions_record
from notifications.models import Kind
from notifications.services import notify
from people import services as people_services
from people.models import User
from people.photos import photo_normalise

EMPLOYEES_GROUP = "Employees"


# --- Access to the editor ----------------------------------------------------------------------
def employee_admin_access_grant(*, user: User) -> None:
    """Join the Employees group: Wagtail's editor for one's own blog (blogs migration 0002)."""
    group = Group.objects.filter(name=EMPLOYEES_GROUP).first()
    if group is not None and user.is_active:
        user.groups.add(group)


# --- Blogs -------------------------------------------------------------------------------------
def blog_writers_sync(*, blog: BlogPage) -> None:
    """Give the blog's owner and their delegates Wagtail's "add" permission on this blog only.

    Wagtail's explorer, page search and dashboard list the pages a person has a permission on;
    a group per blog keeps each person's admin to their own blog (and the blogs they prepare
    drafts for). What they may actually do there is decided by blogs.permissions.
    """
    group, _created = Group.objects.get_or_create(name=f"Blog writers {blog.pk}")
    add_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="add_page")
    GroupPagePermission.objects.get_or_create(group=group, page=blog, permission=add_page)
    writers = [blog.person_id]
    if blog.person.is_executive:
        writers += list(
            Delegation.objects.filter(executive_id=blog.person_id).values_list(
                "delegate_id", flat=True
            )
        )
    group.user_set.set(writers)


def _blog_slug(person: User) -> str:
    base = slugify(person.username.replace(".", "-").replace("@", "-")) or f"blog-{person.pk}"
    if base == "-":
        base = f"blog-{person.pk}"
    slug, n = base, 1
    # Two usernames can slugify alike ("claire.d" and "claire-d"): number the later one.
    while BlogPage.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def blog_ensure(*, actor: User, person: User | None = None, at: datetime | None = None) -> BlogPage:
    """The blog of `person` (default: the actor), created on first use (dated `at`, default
    now).

    The actor must be the person, or an executive's delegate preparing a draft for them.
    """
    person = person or actor
    existing: BlogPage | None = BlogPage.objects.filter(person=person).first()
    if existing is not None:
        return existing
    may_create = actor.is_active and (actor.pk == person.pk or actor.is_superuser)
    if not (may_create or is_delegate_of(actor, person.pk)):
        raise PermissionDenied
    # Serialise concurrent first uses by the same person on the index row.
    index = BlogIndexPage.objects.select_for_update().get()
    existing = BlogPage.objects.filter(person=person).first()
    if existing is not None:
        return existing
    now = at or timezone.now()
    blog = BlogPage(
        title=_("%(name)s's blog") % {"name": person.name},
        slug=_blog_slug(person),
        person=person,
        owner=person,
        live=True,
        first_published_at=now,
        last_published_at=now,
    )
    index.add_child(instance=blog)
    employee_admin_access_grant(user=person)
    blog_writers_sync(blog=blog)
    return blog


# --- Posts -------------------------------------------------------------------------------------
def post_body_stream(body: str | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A body given as plain text becomes paragraphs; a list is already StreamField data,
    whose rich-text paragraphs are sanitised here (the editor's own output is already limited
    to its features, but a caller of this service could pass any HTML)."""
    if isinstance(body, list):
        return [
            {**block, "value": sanitize_rich_text(block["value"])}
            if block.get("type") == "paragraph" and isinstance(block.get("value"), str)
            else block
            for block in body
        ]

    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    return [{"type": "paragraph", "value": f"<p>{escape(p)}</p>"} for p in paragraphs]


@transaction.atomic
def post_create(
    *,
    actor: User,
    title: str,
    body: str | list[dict[str, Any]],
    blog: BlogPage | None = None,
    tags: Iterable[str] = (),
    publish: bool = False,
    go_live_at: datetime | None = None,
    published_at: datetime | None = None,
    idempotency_key: UUID | None = None,
    for_person: User | None = None,
) -> PostPage:
    """Create a post (a draft unless `publish`) on `blog`, the actor's own by default.

    `published_at` backdates a first publication (the demo seed spreads posts over a year);
    `go_live_at` schedules it (Wagtail's publish_scheduled publishes it then). Invalid input
    raises ValidationError and writes nothing.

    `idempotency_key` (the composer's form carries one): the first call with a key creates
    the post; any later call by the same actor with that key, even one running at the same
    moment, creates nothing and returns that post. `for_person`: the blog of that person
    (created on first use, in the same transaction), when `blog` is not given.
    """
    charter_require(actor)
    blog = blog or blog_ensure(actor=actor, person=for_person, at=published_at)
    if not can_write_on_blog(actor, blog):
        raise PermissionDenied
    if (publish or go_live_at) and not can_publish_on_blog(actor, blog):
        raise PermissionDenied(
            _("Only %(name)s can publish on this blog.") % {"name": blog.person.name}
        )
    submission = None
    if idempotency_key is not None:
        earlier, submission = _submission_claim(actor=actor, key=idempotency_key)
        if earlier is not None:
            return earlier
    post = PostPage(
        title=title.strip(),
        owner=actor,
        author=blog.person,
        prepared_by=None if actor.pk == blog.person_id else actor,
        live=False,
        go_live_at=go_live_at,
        first_published_at=published_at,
    )
    post.body = json.dumps(post_body_stream(body))
    if not post.title:
        raise ValidationError({"title": _("A post needs a title.")})
    blog.add_child(instance=post)
    if tags:
        post.tags.set(list(tags))
        post.save()
    revision = post.save_revision(user=actor, log_action=True)
    if publish or go_live_at:
        revision.publish(user=actor)
        post.refresh_from_db()
        if published_at is not None and post.live:
            PostPage.objects.filter(pk=post.pk).update(last_published_at=published_at)
            post.last_published_at = published_at
            route_cache_clear()  # update() sends no signal: the kept post shows its dates
    if submission is not None:
        PostSubmission.objects.filter(pk=submission.pk).update(post=post)
    return post


def _submission_claim(*, actor: User, key: UUID) -> tuple[PostPage | None, PostSubmission | None]:
    """Claim an idempotency key inside the caller's transaction: (the post an earlier
    submission with this key created, None) or (None, the new claim).

    The unique constraint does the serialising: a second request inserting the same key waits
    for the first one's transaction, then fails (it committed: its post is returned) or
    succeeds (it rolled back: nothing was written, this one creates the post).
    """
    earlier = PostSubmission.objects.filter(actor=actor, key=key).select_related("post").first()
    if earlier is not None and earlier.post is not None:
        return earlier.post.specific, None
    try:
        with transaction.atomic():
            return None, PostSubmission.objects.create(actor=actor, key=key)
    except IntegrityError:
        earlier = PostSubmission.objects.select_related("post").get(actor=actor, key=key)
        if earlier.post is None:  # pragma: no cover - the post is set in the same transaction
            raise
        return earlier.post.specific, None


def post_image_upload(*, actor: User, upload: UploadedFile, title: str = "") -> AbstractImage:
    """Store an image put in a post by the composer (uploaded, pasted or dropped) as a Wagtail
    image: refused when too large or not a picture, resized to RUCHE_POST_IMAGE_MAX_PIXELS and
    stripped of its metadata (GPS position, camera, comments) by `people.photos`. Pages show
    renditions of it; until a post uses it, only its uploader may read it (core.media)."""
    if not actor.is_active:
        raise PermissionDenied
    limit = settings.RUCHE_POST_IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {
                "file": _("This image is larger than %(size)s MB: make it smaller and try again.")
                % {"size": limit // (1024 * 1024)}
            }
        )
    try:
        clean = photo_normalise(upload, max_side=settings.RUCHE_POST_IMAGE_MAX_PIXELS)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    name = (title or upload.name or "").rsplit(".", 1)[0].strip()[:200] or _("Image")
    image: AbstractImage = get_image_model()(title=name, file=clean, uploaded_by_user=actor)
    image.file_size = clean.size
    with transaction.atomic():
        image.save()
    return image


@transaction.atomic
def post_publish(*, actor: User, post: PostPage, published_at: datetime | None = None) -> PostPage:
    """Publish the latest revision of a post; only its owner may. `published_at` backdates a
    first publication, as in `post_create`."""
    if not can_publish_post(actor, post):
        raise PermissionDenied
    charter_require(actor)
    if published_at is not None and post.first_published_at is None:
        # Wagtail keeps a first publication date already set; the "posted" event takes it.
        PostPage.objects.filter(pk=post.pk).update(first_published_at=published_at)
        post.first_published_at = published_at
    revision = post.get_latest_revision() or post.save_revision(user=actor)
    revision.publish(user=actor)
    post.refresh_from_db()
    if published_at is not None and post.live:
        PostPage.objects.filter(pk=post.pk).update(last_published_at=published_at)
        post.last_published_at = published_at
        route_cache_clear()  # update() sends no signal: the kept post shows its dates
    return post


@transaction.atomic
def post_unpublish(*, actor: User, post: PostPage) -> PostPage:
    """Withdraw a live post: its owner, or an administrator moderating."""
    if not can_unpublish_post(actor, post):
        raise PermissionDenied
    post.unpublish(user=actor, log_action=True)
    return post


def post_audit_state(post: PostPage) -> dict[str, Any]:
    """What the audit log keeps of a post that is deleted (here or in Wagtail's editor)."""
    return {
        "title": post.title,
        "author_id": post.author_id,
        "first_published_at": post.first_published_at,
        "url_path": post.url_path,
    }


@transaction.atomic
def post_delete(*, actor: User, post: PostPage) -> None:
    """Delete a post (its owner only); the audit log keeps who deleted what, and when."""
    if not can_delete_post(actor, post):
        raise PermissionDenied
    post_deletion_audit(actor=actor, post=post)
    post.delete()


def post_deletion_audit(*, actor: User, post: PostPage) -> None:
    """The audit entry of a post's deletion, here or in Wagtail's editor (blogs.wagtail_hooks)."""
    audit_record(actor=actor, action="post.deleted", target=post, before=post_audit_state(post))
    feed_changed()


def post_publication_record(*, post: PostPage) -> bool:
    """Record the "posted" event of a post's first publication, once.

    Called from Wagtail's page_published signal (admin, scheduled publishing and the services
    above all publish through Wagtail), so republishing an edit does not count a second post.
    The event is dated at the first publication. Returns True when an event was written.
    """
    author = post.author
    if author is None:
        return False
    with transaction.atomic():
        already = ParticipationEvent.objects.filter(
            verb=Verb.POSTED, object_type=post._meta.label_lower, object_id=post.pk
        ).exists()
        if already:
            return False
        event_record(
            actor=author,
            verb=Verb.POSTED,
            obj=post,
            community_id=post.community_id,
            occurred_at=post.first_published_at or timezone.now(),
        )
    return True


def post_mentions_record(*, post: PostPage) -> list[User]:
    """Link-and-notify's second half for a post body: the people its paragraphs name with
    @username hear of it once, when the post is published with their name in it (not again
    when it is republished), and only if they can see the post; exactly like a mention in a
    comment (`interactions.services.target_mentions_record`). Called from Wagtail's
    page_published signal, like `post_publication_record`, so every way of publishing counts.
    Returns the people newly notified."""
    # The post as stored now: the instance Wagtail publishes comes from a revision, and its
    # moderation state (who may see it) is only the one the database holds.
    current = PostPage.objects.select_related("author").filter(pk=post.pk).first()
    if current is None or current.author is None or not current.live:
        return []
    with transaction.atomic():
        return target_mentions_record(
            actor=current.author, target=current, html=current.body_rich_text()
        )


# --- Following ---------------------------------------------------------------------------------
def _follow_lookup(*, person: User | None, blog: BlogPage | None) -> dict[str, Any]:
    """The Follow fields for a person or a blog: exactly one of the two."""
    if person is not None and blog is None:
        return {"person": person}
    if blog is not None and person is None:
        return {"blog": blog}
    raise ValueError("Follow a person or a blog, not both.")


@transaction.atomic
def follow_create(
    *,
    actor: User,
    person: User | None = None,
    blog: BlogPage | None = None,
    occurred_at: datetime | None = None,
) -> Follow:
    """Follow a person or a blog (exactly one). Following twice is harmless."""
    lookup = _follow_lookup(person=person, blog=blog)
    target = person if person is not None else lookup["blog"].person
    if not can_follow(actor, target):
        raise PermissionDenied(
            _("You cannot follow yourself.")
            if person is not None
            else _("You cannot follow your own blog.")
        )
    existing = Follow.objects.filter(follower=actor, **lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            follow = Follow.objects.create(follower=actor, **lookup)
    except IntegrityError:  # a double click raced us
        return Follow.objects.get(follower=actor, **lookup)
    if occurred_at is not None:
        Follow.objects.filter(pk=follow.pk).update(created_at=occurred_at)
    event_record(
        actor=actor, verb=Verb.FOLLOWED, obj=follow, target_user=target, occurred_at=occurred_at
    )
    feed_changed_for(actor.pk)  # their posts get the head start in this reader's feed
    return follow


@transaction.atomic
def follow_delete(*, actor: User, person: User | None = None, blog: BlogPage | None = None) -> int:
    """Stop following; returns how many follows were removed (0 when there was none)."""
    lookup = _follow_lookup(person=person, blog=blog)
    deleted, _detail = Follow.objects.filter(follower=actor, **lookup).delete()
    if deleted:
        feed_changed_for(actor.pk)
    return deleted


# --- Delegates ---------------------------------------------------------------------------------
@transaction.atomic
def delegation_grant(*, actor: User, executive: User, delegate: User) -> Delegation:
    """An executive names a delegate who may prepare drafts on their blog."""
    if not can_manage_delegates(actor, executive):
        raise PermissionDenied
    if delegate.pk == executive.pk or not delegate.is_active:
        raise ValidationError({"username": _("Choose another active employee as your delegate.")})
    delegation, _created = Delegation.objects.get_or_create(executive=executive, delegate=delegate)
    employee_admin_access_grant(user=delegate)
    blog = BlogPage.objects.filter(person=executive).first()
    if blog is not None:
        blog_writers_sync(blog=blog)
    return delegation


@transaction.atomic
def delegation_revoke(*, actor: User, executive: User, delegate: User) -> int:
    if not can_manage_delegates(actor, executive):
        raise PermissionDenied
    deleted, _detail = Delegation.objects.filter(executive=executive, delegate=delegate).delete()
    blog = BlogPage.objects.filter(person=executive).first()
    if blog is not None:
        blog_writers_sync(blog=blog)
    return deleted


# --- Drafts ready for review -------------------------------------------------------------------
@transaction.atomic
def draft_mark_ready(*, actor: User, post: PostPage, at: datetime | None = None) -> ReviewRequest:
    """Mark a draft prepared for an executive as ready for their review.

    Permission (blogs.permissions.can_mark_draft_ready): the delegate who prepared it, or the
    executive; a published post has nothing left to review. Marking twice keeps the first
    mark and tells the executive once. When a delegate marks it, the executive is notified
    ("draft_ready": rows in this transaction, pushed once it commits) with a link to the
    draft in their cockpit.

    No participation event: `activity.models.Verb` counts what people contribute to the
    conversation (a post, a comment, a reply...), and handing a draft over is neither; the
    draft counts once, as "posted" by the executive, when they publish it. The row itself
    keeps who marked it and when.
    """
    post = PostPage.objects.select_for_update().get(pk=post.pk)  # one mark at a time
    if not can_mark_draft_ready(actor, post):
        if post.live or post.first_published_at is not None:
            raise ValidationError(_("This post is already published: there is nothing to review."))
        raise PermissionDenied
    existing = ReviewRequest.objects.filter(post=post).first()
    if existing is not None:
        return existing
    review = ReviewRequest.objects.create(
        post=post, marked_by=actor, marked_at=at or timezone.now()
    )
    if post.author is not None:
        notify(
            recipients=[post.author],
            kind=Kind.DRAFT_READY,
            actor=actor,
            # No target: a draft is visible to nobody but its writers, and the notification
            # centre hides what its recipient cannot see as a reader. The link leads to it.
            target=None,
            url=f"{reverse('leadership:cockpit')}#draft-{post.pk}",
            summary=(
                gettext_lazy("%(name)s marked the draft “%(title)s” ready for your review"),
                {"name": actor.name, "title": post.title[:120]},
            ),
        )
    return review


# --- Feed tokens -------------------------------------------------------------------------------
def feed_token_of(*, user: User) -> FeedToken | None:
    """The employee's feed token, if they created their feed addresses (its secret is not
    kept: the addresses are shown once, by `feed_token_regenerate`)."""
    return people_services.personal_token_of(model=FeedToken, user=user)


def feed_token_regenerate(*, user: User) -> tuple[FeedToken, str]:
    """New feed addresses (the first, or replacing the old: feed readers using the old URL stop
    receiving anything). Returns the token and its secret, to show once."""
    return people_services.personal_token_regenerate(model=FeedToken, user=user)


def post_submission_of(*, actor: User, key: UUID | None) -> PostPage | None:
    """The post an earlier submission by `actor` with this idempotency key created, if any."""
    if key is None:
        return None
    earlier = PostSubmission.objects.filter(actor=actor, key=key, post__isnull=False).first()
    return earlier.post.specific if earlier is not None and earlier.post is not None else None


@transaction.atomic
def post_submission_record(*, actor: User, key: UUID | None, post: PostPage) -> None:
    """Remember that this submission created `post` (Wagtail's new-post form; the composer's
    submissions are recorded by `post_create` itself). Recording twice is harmless."""
    if key is not None:
        PostSubmission.objects.get_or_create(actor=actor, key=key, defaults={"post": post})
