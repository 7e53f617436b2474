"""Media on S3-compatible object storage (issue 14, item 2), against a real server process:
moto's server mode, started here on 127.0.0.1 and a free port. Nothing of boto is mocked.

Upload (a profile photo through the form), permission-checked download (the media view
redirects to a signed, short-lived URL that the server honours, the bare object URL is
refused), and deletion (clearing the photo removes the object)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from communities import services as community_services
from communities.models import AccessMode
from core.media import ObjectMediaStorage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BUCKET = "ruche-media-test"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "eu-west-3"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _moto_server_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("moto_server")
    found = str(beside_python) if beside_python.exists() else shutil.which("moto_server")
    if found is None:
        pytest.fail("moto_server is not installed (moto[server] is a development dependency)")
    return [found]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3-compatible server process for the module's tests."""
    port = _free_port()
    process = subprocess.Popen(
        [*_moto_server_command(), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto_server did not start")
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.media.ObjectMediaStorage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": settings.RUCHE_MEDIA_SIGNED_URL_SECONDS,
                "file_overwrite": False,
                "signature_version": "s3v4",
            },
        },
    }
    assert isinstance(default_storage, ObjectMediaStorage)
    yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _jpeg() -> bytes:
    output = BytesIO()
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)
    Image.new("RGB", (1200, 900), "orange").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def _profile_form(client, person) -> tuple[str, dict]:
    url = reverse("people:profile_edit", kwargs={"username": person.username})
    form = client.get(url).context["form"]
    return url, {k: v for k, v in form.initial.items() if v is not None and k != "photo"}


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the test server)
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_photo_upload_signed_download_and_deletion(
    bucket, client, employee, colleague, s3_endpoint, django_capture_on_commit_callbacks
):
    client.force_login(employee)
    url, fields = _profile_form(client, employee)
    fields["photo"] = SimpleUploadedFile("plage.jpg", _jpeg(), content_type="image/jpeg")
    assert client.post(url, fields).status_code == 302
    employee.refresh_from_db()
    name = employee.photo.name
    assert name.startswith("people/photos/") and "plage" not in name
    bucket.head_object(Bucket=BUCKET, Key=name)  # uploaded to the bucket

    # Pages link to the intranet's own view, never to a signed URL.
    assert employee.photo.url == f"/media/{name}"
    client.force_login(colleague)
    answer = client.get(employee.photo.url)
    assert answer.status_code == 302
    signed = answer["Location"]
    assert signed.startswith(f"{s3_endpoint}/{BUCKET}/{name}")
    query = parse_qs(urlsplit(signed).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    status, data = _fetch(signed)
    assert status == 200
    stored = Image.open(BytesIO(data))
    assert max(stored.size) <= 512
    assert not stored.getexif().get_ifd(0x8825)

    # The object itself is private: without the signature the server refuses it.
    assert _fetch(f"{s3_endpoint}/{BUCKET}/{name}")[0] == 403

    client.force_login(employee)
    url, fields = _profile_form(client, employee)
    fields["photo-clear"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, fields).status_code == 302
    with pytest.raises(ClientError):
        bucket.head_object(Bucket=BUCKET, Key=name)


def test_a_private_community_image_on_object_storage_is_for_members(bucket, client, employee):
    manager = UserFactory(username="gil.manager", is_community_manager=True)
    upload = SimpleUploadedFile("conseil.png", _png(), content_type="image/png")
    private = community_services.community_create(
        actor=manager, name="Conseil", access=AccessMode.PRIVATE, image=upload
    )
    client.force_login(employee)
    assert client.get(private.image.url).status_code == 404
    client.force_login(manager)
    answer = client.get(private.image.url)
    assert answer.status_code == 302
    assert _fetch(answer["Location"])[0] == 200


def _png() -> bytes:
    output = BytesIO()
    Image.new("RGB", (20, 20), "purple").save(output, format="PNG")
    return output.getvalue()
