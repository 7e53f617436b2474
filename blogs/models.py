"""Personal blogs and the Leadership space, as Wagtail pages; delegations, follows, feed tokens.

The page tree:

    HomePage (core, "/")
    ├── BlogIndexPage "/blogs/"            created by the data migration 0002
    │   └── BlogPage "/blogs/<username>/"  one per employee, created by blogs.services.blog_ensure
    │       └── PostPage                   written by the owner (or prepared by a delegate)
    └── LeadershipPage "/leadership/"      created by the data migration 0002

Only the blog's owner publishes on it; see blogs.permissions, which Wagtail's admin also asks
through `permissions_for_user` (blogs.wagtail_hooks guards the admin views a second time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from activity.services import view_record
from blogs.blocks import PostBodyBlock, StreamFieldPanel
from blogs.permissions import (
    BlogPagePermissionTester,
    can_comment_post,
    can_moderate_post,
    can_view_post,
)
from core.models import Moderated, ViewRestrictionsCached
from people.models import PersonalToken, new_secret_token

if TYPE_CHECKING:
    from people.models import User

PAGE_SIZE = 20


class BlogIndexPage(ViewRestrictionsCached, Page):
    """The list of every employee's blog, at /blogs/.

    Created once by the data migration `blogs.0002_blog_index`, directly under the home page.
    Blogs below it are created by `blogs.services.blog_ensure`, never by hand in the admin.
    """

    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["blogs.BlogPage"]
    max_count = 1
    is_creatable = False

    class Meta:
        verbose_name = _("blog index")

    def permissions_for_user(self, user):
        return BlogPagePermissionTester(user, self)

    def route(self, request, path_components):
        # /blogs/<blog>/<post>/: fetch the post in one query, with its author, instead of
        # walking the tree one level at a time (the most visited pages of the blogs).
        if self.live and len(path_components) == 2:
            from blogs import pages  # blogs.pages imports these models

            url_path = f"{self.url_path}{path_components[0]}/{path_components[1]}/"
            post = pages.live_post(url_path)
            if post is not None:
                return RouteResult(post)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from blogs import selectors  # blogs.selectors imports these models

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(selectors.blog_list(user=request.user), PAGE_SIZE)
        context["blogs_page"] = paginator.get_page(request.GET.get("page"))
        context["leadership"] = LeadershipPage.objects.live().first()
        return context


class BlogPage(ViewRestrictionsCached, Page):
    """One employee's blog, at /blogs/<slug>/ where the slug comes from the username.

    Created on first use by `blogs.services.blog_ensure` (the "Write a post" button, or the
    demo seed) under the BlogIndexPage. Its posts are its children.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="blog",
    )
    intro = models.CharField(_("about this blog"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels: list = []
    parent_page_types = ["blogs.BlogIndexPage"]
    subpage_types = ["blogs.PostPage"]
    is_creatable = False

    class Meta:
        verbose_name = _("blog")
        verbose_name_plural = _("blogs")

    def permissions_for_user(self, user):
        return BlogPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from blogs import selectors  # blogs.selectors imports these models

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(selectors.post_list_for_blog(user=request.user, blog=self), 10)
        context["posts_page"] = paginator.get_page(request.GET.get("page"))
        context["follow_state"] = selectors.follow_state(user=request.user, person=self.person)
        context["can_write"] = request.user.pk == self.person_id
        return context


class PostTag(TaggedItemBase):
    content_object = ParentalKey(
        "blogs.PostPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class PostPageForm(WagtailAdminPageForm):
    """The admin form of a post: fills in whose post it is and who prepared it.

    The author is always the blog's owner, whoever types; when a delegate saves, the post
    records them in `prepared_by` so that the published page discloses it (DESIGN.md, Leader
    voice). Neither field is editable in the form, so a crafted POST cannot set them.
    The address (slug) is made from the title when left empty: nobody should have to think
    about it to publish.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
        if "title" in self.fields:
            # Wagtail's own help ("as you'd like it to be seen by the public") is for websites.
            self.fields["title"].help_text = _(
                "The title of your post, as your colleagues will see it"
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title"):
            parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
            base = slugify(cleaned["title"])[:70] or "post"
            slug, n = base, 1
            siblings = parent.get_children() if parent is not None else Page.objects.none()
            if self.instance.pk:
                siblings = siblings.exclude(pk=self.instance.pk)
            while siblings.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            cleaned["slug"] = slug
            self.instance.slug = slug
            self.errors.pop("slug", None)
        return cleaned

    def save(self, commit=True):
        page = super().save(commit=False)
        parent = self.parent_page
        if parent is None and page.pk:
            parent = page.get_parent()
        blog = parent.specific if parent is not None else None
        if isinstance(blog, BlogPage):
            page.author_id = blog.person_id
            if self.for_user is not None and self.for_user.pk != blog.person_id:
                page.prepared_by_id = self.for_user.pk
        if commit:
            page.save()
        return page


# The name of the idempotency key in Wagtail's new-post form (see PostSubmission).
IDEMPOTENCY_KEY_FIELD = "ruche_idempotency_key"

# The moderation state (core.models.Moderated) belongs to the post, not to a revision.
MODERATION_FIELDS = frozenset({"hidden_at", "hidden_by", "hidden_reason"})


class PostPage(ViewRestrictionsCached, Moderated, Page):
    """A blog post, child of its author's BlogPage.

    Created in Wagtail's editor (reached in one click from "Write a post") or by
    `blogs.services.post_create`. Drafts, revisions, preview and scheduled publishing
    (go_live_at) are Wagtail's; the "posted" participation event is recorded when the post is
    first published (blogs.services.post_publication_record, from the page_published signal).

    Moderation (hidden_at, hidden_by, hidden_reason, set only by
    governance.services.content_hide/content_restore) is kept outside Wagtail's revisions:
    publishing a revision (the author republishing, a scheduled revision, a revert) rebuilds
    the page from that revision, so `with_content_json` carries the current moderation state
    over, and `save` never writes those fields unless asked to by name. A hidden post stays
    hidden whatever is published.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="blog_posts",
        null=True,
        editable=False,
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared with"),
        on_delete=models.SET_NULL,
        related_name="prepared_posts",
        null=True,
        blank=True,
        editable=False,
    )
    body = StreamField(PostBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=PostTag, blank=True, verbose_name=_("tags"))
    # Optional cross-post to a community (communities issue); None for a plain blog post.
    community_id = models.BigIntegerField(null=True, blank=True, editable=False)

    content_panels = [
        FieldPanel("title"),
        StreamFieldPanel("body"),
        FieldPanel("tags"),
        # The new-post form's idempotency key (blogs.wagtail_hooks: a retried "Publish" of a
        # new post finds the post the first one created).
        HelpPanel(content=IDEMPOTENCY_KEY_FIELD, template="blogs/admin/idempotency_key_panel.html"),
    ]
    promote_panels = [
        MultiFieldPanel([FieldPanel("slug"), FieldPanel("search_description")], _("Address"))
    ]
    base_form_class = PostPageForm
    parent_page_types = ["blogs.BlogPage"]
    subpage_types: list = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("hidden_at"),
        index.FilterField("author"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    # interactions.targets.InteractionTarget
    interaction_comment_verb = "commented"

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")
        indexes = [models.Index(fields=["author", "hidden_at"], name="post_author_hidden_at")]

    def permissions_for_user(self, user):
        return BlogPagePermissionTester(user, self)

    def with_content_json(self, content: dict[str, Any]) -> PostPage:
        """The page as a revision describes it, with the moderation state of the post as it is
        now (a revision saved before a hide must not bring the post back)."""
        page = super().with_content_json(content)
        page.hidden_at = self.hidden_at
        page.hidden_by_id = self.hidden_by_id
        page.hidden_reason = self.hidden_reason
        return page

    def save(self, *args: Any, **kwargs: Any):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and MODERATION_FIELDS.issuperset(update_fields):
            # Moderation changes no content: no validation of a text it does not touch.
            kwargs.setdefault("clean", False)
        elif update_fields is None and self.pk is not None and not self._state.adding:
            # Saving an existing post (publishing, unpublishing, the editor) writes every
            # field but the moderation state, which only moderation writes: whatever copy of
            # the post is being saved, the current state in the database wins.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [f for f in self._content_fields() if f not in deferred]
        # The author is the blog's owner; posts created programmatically get it here.
        if self.author_id is None and self.path:
            parent = self.get_parent()
            if parent is not None:
                self.author_id = (
                    BlogPage.objects.filter(pk=parent.pk)
                    .values_list("person_id", flat=True)
                    .first()
                )
        return super().save(*args, **kwargs)

    _CONTENT_FIELDS: ClassVar[list[str] | None] = None

    @classmethod
    def _content_fields(cls) -> list[str]:
        """What a full save writes: every column but the moderation state, and the child
        relations modelcluster commits (tags, Wagtail's comments)."""
        if cls._CONTENT_FIELDS is None:
            cls._CONTENT_FIELDS = [
                *(
                    field.name
                    for field in cls._meta.concrete_fields
                    if not field.primary_key and field.name not in MODERATION_FIELDS
                ),
                *(rel.get_accessor_name() for rel in get_all_child_relations(cls)),
                *(field.name for field in get_all_child_m2m_relations(cls)),
            ]
        return cls._CONTENT_FIELDS

    # --- Interaction target (interactions.targets.InteractionTarget) ---------------------------
    def interaction_visible_to(self, user: User) -> bool:
        return can_view_post(user, self)

    def interaction_can_comment(self, user: User) -> bool:
        return can_comment_post(user, self)

    def interaction_can_moderate(self, user: User) -> bool:
        return can_moderate_post(user, self)

    def interaction_comment_refusal(self, user: User) -> str | None:
        if not self.live or self.is_hidden:
            return str(_("This post was removed; your comment was not published."))
        return None

    @property
    def interaction_owner(self) -> User | None:
        return self.author

    @property
    def interaction_community_id(self) -> int | None:
        return self.community_id

    def get_absolute_url(self) -> str:
        return self.get_url() or self.url_path

    def body_rich_text(self) -> str:
        """The rich text of the body's paragraphs, joined: where @mentions are looked for
        (`interactions.services.target_mentions_record`, the post page's mention links)."""
        return "\n".join(
            str(block.value.source) for block in self.body if block.block_type == "paragraph"
        )

    # --- Serving -------------------------------------------------------------------------------
    def serve(self, request, *args, **kwargs):
        if not can_view_post(request.user, self):
            raise Http404
        if not request.user.is_authenticated or getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        from blogs import pages  # blogs.pages imports these models

        view_record(actor=request.user, obj=self, target_user=self.author)
        return pages.post_page(
            request, self, lambda: super(PostPage, self).serve(request, *args, **kwargs)
        )

    def get_context(self, request, *args, **kwargs):
        from blogs import selectors  # blogs.selectors imports these models

        context = super().get_context(request, *args, **kwargs)
        if self.pk is None or getattr(request, "is_preview", False):
            # A preview shows a revision, not the live row: never kept in the cache.
            context.update(selectors.post_page_context(user=request.user, post=self))
        else:
            from blogs import pages  # blogs.pages imports these models

            context.update(pages.post_page_context(request, self))
        return context


class LeadershipPage(ViewRestrictionsCached, Page):
    """The Leadership space, at /leadership/: the posts of every executive, newest first.

    Created once by the data migration `blogs.0002_blog_index`, directly under the home page
    (not under /blogs/, where every name belongs to an employee). It holds no posts of its own:
    executives write on their own blogs, and this page gathers them.
    """

    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types: list = []
    max_count = 1
    is_creatable = False

    class Meta:
        verbose_name = _("Leadership space")

    def permissions_for_user(self, user):
        return BlogPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from blogs import selectors  # blogs.selectors imports these models

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(selectors.leadership_posts(user=request.user), 10)
        context["posts_page"] = paginator.get_page(request.GET.get("page"))
        context["executives"] = selectors.executives_with_blogs()
        return context


class Delegation(models.Model):
    """An executive lets a named person prepare drafts on their blog; only they publish."""

    executive = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executive"),
        on_delete=models.CASCADE,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegate"),
        on_delete=models.CASCADE,
        related_name="delegations_received",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(fields=["executive", "delegate"], name="one_delegation"),
            models.CheckConstraint(
                condition=~models.Q(executive=models.F("delegate")), name="no_self_delegation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegate_id} → {self.executive_id}"


class Follow(models.Model):
    """Someone follows a person (all their posts) or a blog; exactly one of the two is set."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="followers",
        null=True,
        blank=True,
    )
    blog = models.ForeignKey(
        BlogPage,
        verbose_name=_("blog"),
        on_delete=models.CASCADE,
        related_name="followers",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, blog__isnull=True)
                    | models.Q(person__isnull=True, blog__isnull=False)
                ),
                name="follow_person_xor_blog",
            ),
            models.UniqueConstraint(
                fields=["follower", "person"],
                condition=models.Q(person__isnull=False),
                name="follow_person_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "blog"],
                condition=models.Q(blog__isnull=False),
                name="follow_blog_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.person_id or self.blog_id}"


# Migration 0001 refers to this name for the token's default.
_new_token = new_secret_token


class FeedToken(PersonalToken):
    """The secret in an employee's feed URLs: a feed reader fetches the Atom feeds without a
    session, and sees only what that employee may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )

    class Meta:
        verbose_name = _("feed token")
        verbose_name_plural = _("feed tokens")

    @staticmethod
    def feed_url(secret: str, blog: BlogPage | None = None) -> str:
        """The feed's address with its secret: known only right after the secret was made."""
        if blog is None:
            path = reverse("blogs:feed_all")
        else:
            path = reverse("blogs:feed_blog", kwargs={"slug": blog.slug})
        return f"{path}?{urlencode({'token': secret})}"


class PostSubmission(models.Model):
    """One submission of the composer's form, by its idempotency key: the form carries a key
    made when it was shown, and a double click, a retried POST or a resent form with the same
    key finds the post the first one created instead of creating another
    (blogs.services.post_create)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_submissions"
    )
    key = models.UUIDField()
    post = models.ForeignKey(
        PostPage, on_delete=models.CASCADE, related_name="submissions", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("post submission")
        verbose_name_plural = _("post submissions")
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="one_post_per_submission")
        ]

    def __str__(self) -> str:
        return f"{self.actor_id}:{self.key}"


class ReviewRequest(models.Model):
    """A draft prepared for an executive, marked ready for their review.

    Written only by `blogs.services.draft_mark_ready` (the delegate who prepared the draft,
    or the executive). The executive's cockpit lists the drafts marked ready until they are
    published; the executive is notified when a delegate marks one. Kept outside the page
    (not a PostPage field) so that Wagtail's revisions, which rebuild the page on publishing,
    never carry it back or forth.
    """

    post = models.OneToOneField(
        PostPage,
        verbose_name=_("draft"),
        on_delete=models.CASCADE,
        related_name="review_request",
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked ready by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked ready at"))

    class Meta:
        verbose_name = _("draft ready for review")
        verbose_name_plural = _("drafts ready for review")

    def __str__(self) -> str:
        return f"{self.post_id} ready ({self.marked_by_id})"
