"""Who may do what on blogs. Views, services, feeds, search and Wagtail's admin all ask here.

The rules (issue 3, DESIGN.md "Leader voice"):
- every signed-in employee reads every live post that moderation has not hidden;
- only a blog's owner publishes on it, edits its posts' publication, schedules or deletes them;
- an executive's named delegate prepares drafts on the executive's blog but never publishes;
- administrators can unpublish (moderation), and nothing more on someone else's blog.

`BlogPagePermissionTester` applies the same rules inside Wagtail's admin, which otherwise
grants by group permissions on the tree: the blog pages override `permissions_for_user`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from wagtail.models import Page, PagePermissionTester

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from typing_extensions import TypeIs

    from blogs.models import BlogPage, PostPage
    from people.models import User

    Person = User | AnonymousUser | None


def _active(user: Person) -> TypeIs[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def delegated_executive_ids(user: Person) -> set[int]:
    """Ids of the executives who named `user` as their delegate (cached on the user object)."""
    if not _active(user):
        return set()
    cached: set[int] | None = getattr(user, "_blogs_delegated_ids", None)
    if cached is None:
        # blogs.models imports this module: a module-level import would be a cycle.
        from blogs import versions
        from blogs.models import Delegation

        def read() -> set[int]:
            rows = Delegation.objects.filter(delegate_id=user.pk, executive__is_executive=True)
            return set(rows.values_list("executive_id", flat=True))

        # Across requests under the delegations' version, and for the request on the user.
        cached = versions.delegated_ids(user.pk, read)
        user._blogs_delegated_ids = cached  # type: ignore[attr-defined]
    return cached


def is_delegate_of(user: Person, executive_id: int | None) -> bool:
    return executive_id is not None and executive_id in delegated_executive_ids(user)


def _post_owner_id(post: PostPage) -> int | None:
    if post.author_id is not None:
        return post.author_id
    # blogs.models imports this module: a module-level import would be a cycle.
    from blogs.models import BlogPage

    parent = post.get_parent() if post.path else None
    if parent is None:
        return None
    owner_id: int | None = (
        BlogPage.objects.filter(pk=parent.pk).values_list("person_id", flat=True).first()
    )
    return owner_id


# --- Reading -------------------------------------------------------------------------------------
def can_view_post(user: User, post: PostPage) -> bool:
    """Live posts are for every signed-in employee; a hidden post only for its author."""
    if not _active(user) or not post.live:
        return False
    return post.hidden_at is None or user.pk == post.author_id or user.is_superuser


def can_comment_post(user: User, post: PostPage) -> bool:
    return _active(user) and post.live and post.hidden_at is None and can_view_post(user, post)


def can_moderate_post(user: User, post: PostPage) -> bool:
    """Hiding and restoring a post or its comments: administrators (governance's moderation
    queue, Wagtail's admin), through governance.services.content_hide/content_restore."""
    return _active(user) and user.is_superuser


def can_see_scheduled_post_of(user: User, author_id: int | None) -> bool:
    """A post scheduled but not yet live is seen by its author, by the people the author
    named as delegates (they prepare it) and by administrators (who plan the editorial
    calendar)."""
    if not _active(user) or author_id is None:
        return False
    return user.pk == author_id or user.is_superuser or is_delegate_of(user, author_id)


# --- Writing -------------------------------------------------------------------------------------
def can_write_on_blog(user: User, blog: BlogPage) -> bool:
    """The owner writes; an executive's delegate prepares drafts."""
    return _active(user) and (user.pk == blog.person_id or is_delegate_of(user, blog.person_id))


def can_publish_on_blog(user: User, blog: BlogPage) -> bool:
    """Only the owner publishes on a blog; no delegate, no administrator."""
    return _active(user) and bool(user.pk == blog.person_id)


def can_edit_post(user: User, post: PostPage) -> bool:
    owner_id = _post_owner_id(post)
    return _active(user) and (user.pk == owner_id or is_delegate_of(user, owner_id))


def can_publish_post(user: User, post: PostPage) -> bool:
    return _active(user) and user.pk == _post_owner_id(post)


def can_delete_post(user: User, post: PostPage) -> bool:
    return _active(user) and user.pk == _post_owner_id(post)


def can_unpublish_post(user: User, post: PostPage) -> bool:
    """The owner withdraws their post; administrators unpublish as moderation."""
    return _active(user) and (user.pk == _post_owner_id(post) or user.is_superuser)


def can_view_post_stats(user: User, post: PostPage) -> bool:
    """Readers, commenters and unanswered questions: for the author (and their delegate)."""
    return can_edit_post(user, post)


def can_manage_delegates(user: User, executive: User) -> bool:
    return _active(user) and executive.is_executive and (user.pk == executive.pk)


# --- The executive's cockpit ---------------------------------------------------------------------
def can_open_cockpit(user: Person, executive: User) -> bool:
    """The cockpit of an executive: theirs, and (read-only) their named delegates'."""
    return (
        _active(user)
        and executive.is_active
        and executive.is_executive
        and (user.pk == executive.pk or is_delegate_of(user, executive.pk))
    )


def can_answer_in_cockpit(user: Person, executive: User) -> bool:
    """Answering from the cockpit and seeing the executive's own figures: the executive only.
    A delegate prepares drafts; they never speak in the executive's name."""
    return _active(user) and executive.is_executive and user.pk == executive.pk


def can_mark_draft_ready(user: Person, post: PostPage) -> bool:
    """A draft on an executive's blog is marked ready for review by the delegate who
    prepared it (while still their delegate) or by the executive."""
    if not _active(user) or post.live or post.first_published_at is not None:
        return False
    owner_id = _post_owner_id(post)
    if user.pk == owner_id:
        return True
    return user.pk == post.prepared_by_id and is_delegate_of(user, owner_id)


def can_follow(user: User, person: User) -> bool:
    return _active(user) and person.is_active and user.pk != person.pk


# --- Fetching or 404 ----------------------------------------------------------------------------
def access_post(user: User, post_id: int) -> PostPage:
    """The post if `user` may read it, else 404 (a post you may not see does not exist)."""
    # blogs.models imports this module: a module-level import would be a cycle.
    from blogs.models import PostPage

    post = PostPage.objects.select_related("author").filter(pk=post_id).first()
    if post is None or not can_view_post(user, post):
        raise Http404
    return post


def access_post_for_stats(user: User, post_id: int) -> PostPage:
    # blogs.models imports this module: a module-level import would be a cycle.
    from blogs.models import PostPage

    post = PostPage.objects.select_related("author").filter(pk=post_id).first()
    if post is None or not can_view_post_stats(user, post):
        raise Http404
    return post


def access_blog(user: User, slug: str) -> BlogPage:
    # blogs.models imports this module: a module-level import would be a cycle.
    from blogs.models import BlogPage

    blog: BlogPage | None = (
        BlogPage.objects.live().select_related("person").filter(slug=slug).first()
    )
    if blog is None or not _active(user):
        raise Http404
    return blog


# --- Wagtail admin ------------------------------------------------------------------------------
class BlogPagePermissionTester(PagePermissionTester):  # type: ignore[misc, unused-ignore]
    """Wagtail's page permissions, answered by the rules above instead of group permissions.

    Employees belong to the "Employees" group (the admin, images), and each blog's owner and
    delegates to a "Blog writers <id>" group with Wagtail's "add" permission on that blog only,
    so that the explorer and the admin page search list only their own blog. Every decision on
    a blog page is then taken here (and checked again by the hooks in wagtail_hooks.py).
    """

    def __init__(self, user: User, page: Page) -> None:
        super().__init__(user, page)
        # blogs.models imports this module: a module-level import would be a cycle.
        from blogs.models import BlogIndexPage, BlogPage, LeadershipPage, PostPage

        self.kind = (
            "post"
            if isinstance(page, PostPage)
            else "blog"
            if isinstance(page, BlogPage)
            else "space"
            if isinstance(page, BlogIndexPage | LeadershipPage)
            else "other"
        )

    def _owner(self) -> bool:
        if self.kind == "blog":
            return can_publish_on_blog(self.user, self.page)
        if self.kind == "post":
            return can_publish_post(self.user, self.page)
        return False

    def _writer(self) -> bool:
        if self.kind == "blog":
            return can_write_on_blog(self.user, self.page)
        if self.kind == "post":
            return can_edit_post(self.user, self.page)
        return False

    def can_add_subpage(self) -> bool:
        return self.kind == "blog" and can_write_on_blog(self.user, self.page)

    def can_edit(self) -> bool:
        if self.kind == "space":
            return _active(self.user) and self.user.is_superuser
        if self.kind == "blog":
            return self._owner()
        return self._writer()

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return self.kind == "post" and can_delete_post(self.user, self.page)

    def can_publish(self) -> bool:
        if self.kind == "space":
            return _active(self.user) and self.user.is_superuser
        return self._owner()

    def can_unpublish(self) -> bool:
        if not self.page.live or self.page_locked():
            return False
        if self.kind == "post":
            return can_unpublish_post(self.user, self.page)
        return False

    def can_publish_subpage(self) -> bool:
        return self.kind == "blog" and self._owner()

    def can_submit_for_moderation(self) -> bool:
        return False

    def can_set_view_restrictions(self) -> bool:
        # Every post is for every employee: no private posts through view restrictions.
        return False

    def can_unschedule(self) -> bool:
        return self._owner()

    def can_lock(self) -> bool:
        return self.kind == "post" and self._owner()

    def can_unlock(self) -> bool:
        return self.kind == "post" and (self._owner() or self.user_has_lock())

    def can_reorder_children(self) -> bool:
        return False

    def can_move(self) -> bool:
        return False

    def can_move_to(self, destination: Page) -> bool:
        return False

    def can_copy(self) -> bool:
        return False

    def can_copy_to(self, destination: Page, recursive: bool = False) -> bool:
        return False

    def can_view_revisions(self) -> bool:
        return self.kind in ("blog", "post") and self._writer()
