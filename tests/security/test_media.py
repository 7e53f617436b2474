"""Media are served through a permission check (issue 14, item 2): a file is read only by
those who may see what it belongs to; names are unguessable; a refusal looks like a 404."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from blogs import services as blog_services
from communities import services as community_services
from communities.models import AccessMode
from core.media import LocalMediaStorage, unguessable_name
from governance.services import content_hide
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"[A-Za-z0-9_-]{22}\.(jpg|png)")


def _png(colour: str = "red") -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _image(uploader, title: str = "Schéma confidentiel"):
    image_model = get_image_model()
    upload = ImageFile(BytesIO(_png()), name="schema-fusion-secrete.png")
    return image_model.objects.create(title=title, uploaded_by_user=uploader, file=upload)


def _url(name: str) -> str:
    return f"/media/{name}"


def _get(client, user, name: str) -> int:
    client.force_login(user)
    response = client.get(_url(name))
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code


@pytest.fixture
def author(db):
    return UserFactory(username="ines.author")


def _post_with_image(author, image, *, publish: bool):
    body = [{"type": "image", "value": {"image": image.pk, "caption": ""}}]
    return blog_services.post_create(
        actor=author, title="Projet de fusion", body=body, publish=publish
    )


# --- Names ---------------------------------------------------------------------------------
def test_uploaded_names_are_replaced_by_random_ones(author):
    image = _image(author)
    folder, name = image.file.name.split("/")
    assert folder == "original_images"
    assert RANDOM_NAME.fullmatch(name), image.file.name
    assert "fusion" not in image.file.name
    rendition = image.get_rendition("max-20x20")
    assert "fusion" not in rendition.file.name
    assert rendition.file.name.startswith("images/")


def test_two_uploads_of_one_name_get_unrelated_names():
    first, second = unguessable_name("photo.JPG"), unguessable_name("photo.JPG")
    assert first != second
    assert first.endswith(".jpg") and len(first) == 26
    assert unguessable_name("evil.php%00.png\x00").count(".") <= 1


def test_the_default_storage_renames_every_upload():
    assert isinstance(default_storage, LocalMediaStorage)
    saved = default_storage.generate_filename("communities/images/bureau-du-ceo.png")
    assert saved.startswith("communities/images/")
    assert "bureau" not in saved


# --- Wagtail images in posts ---------------------------------------------------------------
def test_an_image_of_a_draft_is_for_its_author_only(client, author, employee, administrator):
    image = _image(author)
    _post_with_image(author, image, publish=False)
    rendition = image.get_rendition("max-20x20")
    for name in (image.file.name, rendition.file.name):
        assert _get(client, author, name) == 200
        assert _get(client, employee, name) == 404
        assert _get(client, administrator, name) == 200


def test_an_image_of_a_published_post_is_for_every_employee(client, author, employee):
    image = _image(author)
    _post_with_image(author, image, publish=True)
    rendition = image.get_rendition("max-20x20")
    assert _get(client, employee, image.file.name) == 200
    assert _get(client, employee, rendition.file.name) == 200


def test_an_image_of_a_hidden_post_is_no_longer_served(client, author, employee, administrator):
    image = _image(author)
    post = _post_with_image(author, image, publish=True)
    rendition = image.get_rendition("max-20x20")
    content_hide(actor=administrator, obj=post, reason="Confidentiel")
    assert _get(client, employee, rendition.file.name) == 404
    assert _get(client, author, rendition.file.name) == 200


def test_an_unreferenced_image_is_for_its_uploader_and_administrators(
    client, author, employee, administrator
):
    image = _image(author)
    assert _get(client, author, image.file.name) == 200
    assert _get(client, employee, image.file.name) == 404
    assert _get(client, administrator, image.file.name) == 200


# --- Communities ---------------------------------------------------------------------------
def _community(manager, access):
    upload = SimpleUploadedFile("conseil-secret.png", _png("blue"), content_type="image/png")
    return community_services.community_create(
        actor=manager, name=f"Cellule {access}", access=access, image=upload
    )


def test_the_image_of_a_private_community_is_for_its_members(client, employee, administrator):
    manager = UserFactory(username="gil.manager", is_community_manager=True)
    private = _community(manager, AccessMode.PRIVATE)
    assert "conseil" not in private.image.name
    assert _get(client, manager, private.image.name) == 200
    assert _get(client, employee, private.image.name) == 404
    assert _get(client, administrator, private.image.name) == 200
    open_one = _community(manager, AccessMode.OPEN)
    assert _get(client, employee, open_one.image.name) == 200


# --- Anything else -------------------------------------------------------------------------
def test_a_file_nothing_claims_is_for_administrators_only(client, employee, administrator):
    name = default_storage.save("exports/orphan.csv", ContentFile(b"a,b\n"))
    assert _get(client, employee, name) == 404
    assert _get(client, administrator, name) == 200


def test_missing_and_climbing_paths_are_404(client, administrator):
    client.force_login(administrator)
    for path in ("nothing/here.png", "../settings.py", "a/../../etc/passwd", "%00", "..%2f.."):
        assert client.get(f"/media/{path}").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, author):
    image = _image(author)
    response = client.get(_url(image.file.name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_files_that_could_run_in_the_page_are_downloaded(client, administrator):
    name = default_storage.save("exports/page.html", ContentFile(b"<script>alert(1)</script>"))
    client.force_login(administrator)
    response = client.get(_url(name))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=300"


def test_a_proxy_serves_the_file_when_told_to(client, settings, author):
    settings.RUCHE_MEDIA_ACCEL_REDIRECT = "/protected/"
    image = _image(author)
    client.force_login(author)
    response = client.get(_url(image.file.name))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected/{image.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/png"


# --- Wagtail documents ---------------------------------------------------------------------
def test_a_document_follows_the_same_rules_at_its_wagtail_address(client, author, employee):
    document = get_document_model().objects.create(
        title="Plan social", uploaded_by_user=author, file=ContentFile(b"%PDF-1.4", name="plan.pdf")
    )
    assert "plan" not in document.file.name
    for url in (document.url, _url(document.file.name)):
        client.force_login(employee)
        assert client.get(url).status_code == 404, url
        client.force_login(author)
        assert client.get(url).status_code == 200, url


def test_an_image_a_delegate_adds_to_a_draft_is_for_the_executive_too(client, executive, employee):
    delegate = UserFactory(username="dana.delegate")
    blog = blog_services.blog_ensure(actor=executive)
    blog_services.delegation_grant(actor=executive, executive=executive, delegate=delegate)
    draft = blog_services.post_create(actor=delegate, title="Vœux", body="Texte", blog=blog)
    image = _image(delegate)
    # A later draft edit lives in a revision only (Wagtail's reference index misses it).
    draft.body = json.dumps([{"type": "image", "value": {"image": image.pk, "caption": ""}}])
    draft.save_revision(user=delegate)
    rendition = image.get_rendition("max-20x20")
    assert _get(client, executive, rendition.file.name) == 200
    assert _get(client, employee, rendition.file.name) == 404
