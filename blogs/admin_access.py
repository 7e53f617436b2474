"""What Wagtail's admin shows a person: the same visibility as the rest of Ruche (issue 14).

Wagtail's admin lists and opens pages, images and documents by id to anyone who may enter it
(every employee writes on their own blog there). Without these rules a signed-in employee reads
in a page chooser, a tag list or an image chooser the titles and tags of other people's drafts,
scheduled posts, drafts a delegate prepared for an executive, posts hidden by moderation and the
unpublished new title of a live post. One rule here, applied by every admin entry point:

- administrators see everything;
- a post is seen by the people who write on its blog (its owner and the owner's delegates:
  blogs.permissions), and by everyone else only while it is live, not hidden by moderation and
  without an unpublished new title (Wagtail shows `draft_title`, the title of the latest
  revision, wherever it lists a page);
- another page (home, blog index, blogs, Leadership) is seen when it is live or the person
  writes under it;
- an image or a document is seen by whoever uploaded it and by whoever may see a page that uses
  it (Wagtail's reference index).

Wagtail asks these rules through its own extension points: the page viewsets of the blog page
types (`PAGE_VIEWSETS`, every /admin/pages/<id>/... view, the page being opened and not only a
list), the chooser and explorer queryset hooks, the permission policies of images and documents
(`ImagePolicy`, `DocumentPolicy`, which every image/document view and chooser asks), the admin
API endpoints; where Wagtail has no hook, blogs.admin_views wraps the view, and its
`ADMIN_URL_OVERRIDES` are the URL patterns the project puts before Wagtail's admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from taggit.models import Tag, TaggedItem
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page, ReferenceIndex
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from blogs.models import BlogPage, PostPage, PostTag
from blogs.permissions import delegated_executive_ids

if TYPE_CHECKING:
    from people.models import User


def sees_everything(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


# --- Pages -------------------------------------------------------------------------------------
def writable_blog_paths(user: User) -> list[str]:
    """Tree paths of the blogs `user` writes on: their own and their executives' (delegate)."""
    cached: list[str] | None = getattr(user, "_blogs_writable_paths", None)
    if cached is None:
        people = {user.pk, *delegated_executive_ids(user)}
        cached = list(BlogPage.objects.filter(person_id__in=people).values_list("path", flat=True))
        user._blogs_writable_paths = cached  # type: ignore[attr-defined]  # per-request cache
    return cached


def _under(paths: list[str]) -> Q:
    written = Q(pk__in=[])
    for tree_path in paths:
        written |= Q(path__startswith=tree_path)
    return written


def pages_visible_q(user: User) -> Q:
    """The pages of Wagtail's tree `user` may see in the admin, as a filter on Page."""
    if sees_everything(user):
        return Q()
    written = _under(writable_blog_paths(user))
    public_posts = PostPage.objects.filter(live=True, hidden_at__isnull=True).values("pk")
    post_type = ContentType.objects.get_for_model(PostPage)
    other_page = ~Q(content_type=post_type) & Q(live=True)
    public_post = Q(pk__in=public_posts) & Q(draft_title=F("title"))
    return written | other_page | public_post


def pages_visible(user: User, pages: QuerySet[Any]) -> QuerySet[Any]:
    """`pages` narrowed to what `user` may see; by id, the one filter Wagtail's search backend
    accepts on any page queryset (the choosers search what the hooks return)."""
    if sees_everything(user):
        return pages
    return pages.filter(pk__in=Page.objects.filter(pages_visible_q(user)).values("pk"))


def page_visible(user: User, page_id: Any) -> bool:
    if sees_everything(user):
        return True
    return Page.objects.filter(pk=page_id).filter(pages_visible_q(user)).exists()


def visible_page_or_404(user: User, page_id: Any) -> None:
    """A page `user` may not see does not exist for them (404), in the admin as on the site."""
    if page_id is not None and not page_visible(user, page_id):
        raise Http404


PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "pk")


class VisiblePageMixin:
    """Refuses (404) every admin view of a page `user` may not see, before Wagtail renders its
    title, breadcrumbs, revisions, preview or history."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        for name in PAGE_ID_KWARGS:
            if name in kwargs:
                visible_page_or_404(request.user, kwargs[name])
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def _visible(view_class: type) -> type:
    return type(f"Visible{view_class.__name__}", (VisiblePageMixin, view_class), {})


class VisiblePageViewSet(PageViewSet):
    """Wagtail's page views for one page type, each refusing a page its user may not see."""

    def __init__(self, *args: Any, parents: tuple[type[Page], ...] = (), **kwargs: Any) -> None:
        self._parents = parents
        super().__init__(*args, **kwargs)

    def construct_view(self, view_class: type, **kwargs: Any) -> Any:
        return super().construct_view(_visible(view_class), **kwargs)

    @property
    def parent_models(self) -> list[type[Page]]:  # type: ignore[override]
        # Exploring a post (/admin/pages/<post>/) or a blog goes through these views too.
        return [*super().parent_models, *self._parents]


PAGE_VIEWSETS = (
    VisiblePageViewSet("blogs_postpage", model=PostPage, parents=(PostPage,)),
    VisiblePageViewSet("blogs_blogpage", model=BlogPage),
)


# --- Images and documents ----------------------------------------------------------------------
def _used_in_visible_pages(user: User, model: type) -> QuerySet[Any]:
    """Ids (as text, like the reference index keeps them) of the `model` objects used in a page
    `user` may see."""
    visible = Page.objects.filter(pages_visible_q(user)).annotate(
        text_pk=Cast("pk", output_field=ReferenceIndex._meta.get_field("object_id"))
    )
    return ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id__in=visible.values("text_pk"),
        to_content_type=ContentType.objects.get_for_model(model),
    ).values("to_object_id")


def files_visible_q(user: User, model: type) -> Q:
    """Images or documents `user` may see in the admin: theirs, or used where they may look."""
    if sees_everything(user):
        return Q()
    used = _used_in_visible_pages(user, model)
    text_pk = Cast("pk", output_field=ReferenceIndex._meta.get_field("to_object_id"))
    return Q(uploaded_by_user=user) | Q(
        pk__in=model.objects.annotate(text_pk=text_pk).filter(text_pk__in=used).values("pk")
    )


def files_visible(user: User, files: QuerySet[Any]) -> QuerySet[Any]:
    if sees_everything(user):
        return files
    return files.filter(files_visible_q(user, files.model))


class _OwnFilesPolicy(CollectionOwnershipPermissionPolicy):  # type: ignore[misc]
    """Wagtail's collection-and-owner policy, with Ruche's visibility on top: whatever the
    collections allow, an employee chooses, sees and changes only the files they may see."""

    def __init__(self, model: type) -> None:
        super().__init__(model, owner_field_name="uploaded_by_user")

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> Any:
        return files_visible(user, super().instances_user_has_any_permission_for(user, actions))

    def instances_user_has_permission_for(self, user: Any, action: Any) -> Any:
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_any_permission_for_instance(self, user: Any, actions: Any, instance: Any) -> bool:
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        if sees_everything(user) or instance.uploaded_by_user_id == user.pk:
            return True
        return files_visible(user, self.model.objects.filter(pk=instance.pk)).exists()

    def user_has_permission_for_instance(self, user: Any, action: Any, instance: Any) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)


class ImagePolicy(_OwnFilesPolicy):
    def __init__(self) -> None:
        super().__init__(get_image_model())


class DocumentPolicy(_OwnFilesPolicy):
    def __init__(self) -> None:
        super().__init__(get_document_model())


# --- Wagtail's admin API (the sidebar explorer, choosers' scripts) ------------------------------
class VisibleImagesAdminAPIViewSet(ImagesAdminAPIViewSet):  # type: ignore[misc]
    def get_queryset(self) -> Any:
        return files_visible(self.request.user, super().get_queryset())


class VisibleDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):  # type: ignore[misc]
    def get_queryset(self) -> Any:
        return files_visible(self.request.user, super().get_queryset())


class ListingPagesAdminAPIViewSet(PagesAdminAPIViewSet):  # type: ignore[misc]
    """The pages of the admin API as the sidebar explorer reads them, without the
    `<id>/action/<name>/` endpoints: those publish, delete, copy or move a page without the
    editor's hooks (charter gate, delegate rules, audit of deletions), and Ruche's admin never
    calls them."""

    @classmethod
    def get_urlpatterns(cls) -> Any:
        return super(PagesAdminAPIViewSet, cls).get_urlpatterns()


# --- Tags --------------------------------------------------------------------------------------
def tags_visible_q(user: User) -> Q:
    """Tags (taggit.Tag) `user` may see: those of posts, images and documents they may see."""
    # blogs.models.PostTag: the tags of posts; taggit's generic TaggedItem: images, documents.
    posts = Page.objects.filter(pages_visible_q(user)).values("pk")
    used = Q(pk__in=PostTag.objects.filter(content_object_id__in=posts).values("tag_id"))
    for model in (get_image_model(), get_document_model()):
        files = model.objects.filter(files_visible_q(user, model)).values("pk")
        used |= Q(
            pk__in=TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=files
            ).values("tag_id")
        )
    return used


def popular_tags(user: User, model: type, count: int = 10) -> QuerySet[Any]:
    """Wagtail's "most popular tags" of images or documents, counted on what `user` may see."""
    items = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(model))
    if not sees_everything(user):
        items = items.filter(
            object_id__in=model.objects.filter(files_visible_q(user, model)).values("pk")
        )
    return (
        Tag.objects.filter(pk__in=items.values("tag_id"))
        .annotate(
            item_count=Count("taggit_taggeditem_items", filter=Q(taggit_taggeditem_items__in=items))
        )
        .order_by("-item_count", "name")[:count]
    )
