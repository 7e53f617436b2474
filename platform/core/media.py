"""Uploaded files: unguessable names, who may read each one, and how it is handed over.

Nothing under `/media/` is public. The media view (`core.views.media`) asks `media_response`,
which finds what the file belongs to and applies that object's own rule:

- a file held by a registered content kind's model (a community's image): whoever may see
  that object (`core.content`: `visible_to`, or `can_moderate` for a moderator reviewing it);
- a Wagtail image (its original or any rendition) or document: its uploader, and whoever may
  see, moderate or edit (Wagtail's page permissions, so a delegate's draft) an object whose
  saved content uses it (Wagtail's reference index), or edit a draft whose latest revision
  uses it. Unreferenced: its uploader only;
- what another app declares with `register_holder` (people: a profile photo is for every
  signed-in employee);
- anything else: administrators only. Administrators read every file.

A refused file and a missing one answer the same 404, so names cannot be probed.

Then the file is handed over without Django reading it when it can: on object storage a
redirect to a signed URL that expires in `RUCHE_MEDIA_SIGNED_URL_SECONDS`; behind a proxy
that serves a protected location (`RUCHE_MEDIA_ACCEL_REDIRECT`, e.g. "/protected/" in nginx,
`internal;`) an `X-Accel-Redirect`; otherwise Django streams it (FileResponse).

Names: every upload is renamed `<random>.<ext>` by the storages below (`get_valid_name`, which
Django's FileField and Wagtail's images and renditions all call), so a file cannot be found by
guessing its name. Restoring a backup saves files under the names it has (`Storage.save` does
not call `get_valid_name`).
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.users.models import UserProfile

from core import content

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from people.models import User

RANDOM_BYTES = 16  # 128 bits: 22 characters
_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")
# Shown in the page (inline); anything else is downloaded, so an uploaded HTML or SVG file
# never runs in the intranet's origin.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})


# --- Names ------------------------------------------------------------------------------------
def unguessable_name(name: str) -> str:
    """`<22 random characters>.<extension>` for an uploaded file name (its folder is kept by
    the caller); the extension is kept, lower-cased, when it is a plain one."""
    extension = posixpath.splitext(posixpath.basename(name))[1].lower()
    return secrets.token_urlsafe(RANDOM_BYTES) + (
        extension if _EXTENSION.fullmatch(extension) else ""
    )


class UnguessableNames:
    """Storage mixin: uploaded files are stored under random names."""

    def get_valid_name(self, name: str) -> str:
        return unguessable_name(name)


class LocalMediaStorage(UnguessableNames, FileSystemStorage):
    """A folder on disk (MEDIA_ROOT): `make run`, or a volume shared by the web containers."""


class ObjectMediaStorage(UnguessableNames, S3Storage):
    """An S3-compatible bucket, private: several web containers share it.

    `url()` is the intranet's own `/media/<name>`, so every page links to the media view, which
    checks and then redirects to `signed_url()`; a signed URL never appears in a page.
    """

    def url(
        self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"

    def signed_url(self, name: str) -> str:
        return str(super().url(name, expire=settings.RUCHE_MEDIA_SIGNED_URL_SECONDS))


# --- Who may read a file ----------------------------------------------------------------------
@dataclass(frozen=True)
class FileHolder:
    """Objects of `model` whose `field` holds files stored under `prefix`; `may_read(user, obj)`
    says whether `user` (an active account, not an administrator) may read that object's file."""

    model: type[models.Model]
    field: str
    prefix: str
    may_read: Callable[[User, Any], bool]


_HOLDERS: list[FileHolder] = []


def register_holder(holder: FileHolder) -> None:
    """Declare who may read the files of a model's file field (from an AppConfig.ready())."""
    _HOLDERS[:] = [
        h for h in _HOLDERS if (h.model.__name__, h.field) != (holder.model.__name__, holder.field)
    ]
    _HOLDERS.append(holder)


def _readable_content(user: User, obj: models.Model) -> bool:
    """Whether `user` may see `obj` by its content kind, moderate it, or edit it (a page)."""
    if isinstance(obj, Page):
        page: Page = obj.specific
        if page.permissions_for_user(user).can_edit():
            return True
        obj = page
    try:
        kind = content.kind_for(obj)
    except LookupError:
        return False
    return kind.visible_to(user, obj) or kind.can_moderate(user, obj)


def _used_in_readable_content(user: User, target: models.Model) -> bool:
    for source, _references in ReferenceIndex.get_grouped_references_to(target):
        if source is not None and _readable_content(user, source):
            return True
    return False


MAX_DRAFTS_CHECKED = 20


def _used_in_a_draft_editable_by(user: User, upload: Any) -> bool:
    """Whether `upload` is in the latest revision of a draft `user` may edit.

    Wagtail's reference index reads saved rows, and a page's later draft edits live in its
    latest revision only: an image a delegate added to an executive's draft would be for the
    delegate alone. The drafts looked at are those last saved by the uploader since the upload
    (the one who inserts a picture is the one who uploaded it), so the cost stays bounded.
    """
    if upload.uploaded_by_user_id is None:
        return False
    drafts = Page.objects.filter(
        has_unpublished_changes=True,
        latest_revision__user_id=upload.uploaded_by_user_id,
        latest_revision__created_at__gte=upload.created_at,
    ).select_related("latest_revision")[:MAX_DRAFTS_CHECKED]
    # The same (private) extraction the reference index applies to saved rows.
    target = (ReferenceIndex._get_base_content_type(upload).pk, str(upload.pk))
    for draft in drafts:
        if (
            draft.latest_revision is None
            or not draft.specific.permissions_for_user(user).can_edit()
        ):
            continue
        edited = draft.latest_revision.as_object()
        for reference in ReferenceIndex._extract_references_from_object(edited):
            if (reference[0], str(reference[1])) == target:
                return True
    return False


def _may_read_upload(user: User, upload: Any) -> bool:
    """A Wagtail image or document: its uploader, whoever may read content that uses it, and
    whoever may edit a draft that uses it."""
    return (
        upload.uploaded_by_user_id == user.pk
        or _used_in_readable_content(user, upload)
        or _used_in_a_draft_editable_by(user, upload)
    )


def _may_read_kind(kind: content.ContentKind, user: User, obj: Any) -> bool:
    return bool(kind.visible_to(user, obj) or kind.can_moderate(user, obj))


def _content_holders() -> Iterator[FileHolder]:
    """The file fields of the registered content kinds' models (a community's image)."""
    for kind in content.kinds():
        for field in kind.model._meta.get_fields():
            upload_to = getattr(field, "upload_to", None)
            if isinstance(field, models.FileField) and isinstance(upload_to, str):
                yield FileHolder(
                    model=kind.model,
                    field=field.name,
                    prefix="" if "%" in upload_to else upload_to,
                    may_read=partial(_may_read_kind, kind),
                )


def _wagtail_holders() -> list[FileHolder]:
    image_model = get_image_model()
    return [
        FileHolder(
            model=image_model, field="file", prefix="original_images/", may_read=_may_read_upload
        ),
        FileHolder(
            model=image_model.get_rendition_model(),
            field="file",
            prefix="images/",
            may_read=lambda user, rendition: _may_read_upload(user, rendition.image),
        ),
        FileHolder(
            model=get_document_model(), field="file", prefix="documents/", may_read=_may_read_upload
        ),
        # Wagtail admin avatars appear beside names in the admin, like profile photos.
        FileHolder(
            model=UserProfile, field="avatar", prefix="avatar_images/", may_read=lambda u, o: True
        ),
    ]


def holders_for(name: str) -> list[FileHolder]:
    holders = [*_HOLDERS, *_content_holders(), *_wagtail_holders()]
    return [h for h in holders if name.startswith(h.prefix)]


MAX_HOLDERS_CHECKED = 20


def may_read_file(user: User | AnonymousUser, name: str) -> bool:
    """Whether `user` may read the stored file `name` (see the module's docstring)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    for holder in holders_for(name):
        manager = holder.model._default_manager
        for obj in manager.filter(**{holder.field: name})[:MAX_HOLDERS_CHECKED]:
            if holder.may_read(user, obj):
                return True
    return False


# --- Handing the file over --------------------------------------------------------------------
def clean_name(path: str) -> str | None:
    """The stored name a URL path names, or None when it climbs out of the media folder."""
    name = posixpath.normpath(path).lstrip("/")
    if not name or name == "." or name.startswith("..") or "\x00" in name or "\\" in name:
        return None
    return name


def _file_headers(response: HttpResponseBase, name: str) -> HttpResponseBase:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response.headers["Content-Type"] = content_type
    if content_type not in INLINE_TYPES:
        response.headers["Content-Disposition"] = "attachment"
    # Permissions change (a post hidden, someone leaving a community): browsers keep a copy
    # for a few minutes only, and shared caches never.
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def media_response(user: User | AnonymousUser, path: str) -> HttpResponseBase:
    """The answer to `/media/<path>` for `user`: the file, or 404 (missing or refused alike)."""
    name = clean_name(path)
    if name is None or not may_read_file(user, name) or not default_storage.exists(name):
        raise Http404
    if isinstance(default_storage, ObjectMediaStorage):
        redirect = HttpResponseRedirect(default_storage.signed_url(name))
        redirect.headers["Cache-Control"] = "private, no-store"
        return redirect
    accel = settings.RUCHE_MEDIA_ACCEL_REDIRECT
    if accel:
        handed = HttpResponse()
        handed.headers["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
        return _file_headers(handed, name)
    return _file_headers(FileResponse(default_storage.open(name, "rb")), name)
