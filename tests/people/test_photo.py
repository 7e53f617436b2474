"""Profile photos are stored resized and without their metadata (issue 14, item 2)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
GPS_LATITUDE = 2
MAKE = 0x010F


def _jpeg_with_gps(width: int = 2000, height: int = 1500) -> bytes:
    picture = Image.new("RGB", (width, height), "green")
    exif = Image.Exif()
    exif[MAKE] = "PhoneCam"
    exif.get_ifd(GPS_IFD)[GPS_LATITUDE] = (48.0, 51.0, 24.0)
    exif.get_ifd(GPS_IFD)[1] = "N"
    output = BytesIO()
    picture.save(output, format="JPEG", exif=exif, quality=90)
    data = output.getvalue()
    assert Image.open(BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture really has GPS
    return data


def _post_photo(client, person, data: bytes, name: str = "vacances-lyon.jpg"):
    client.force_login(person)
    url = reverse("people:profile_edit", kwargs={"username": person.username})
    form = client.get(url).context["form"]
    fields = {k: v for k, v in form.initial.items() if v is not None and k != "photo"}
    fields["photo"] = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(url, fields)


def test_a_photo_is_stored_small_and_without_gps(client, employee):
    response = _post_photo(client, employee, _jpeg_with_gps())
    assert response.status_code == 302, response.context["form"].errors
    employee.refresh_from_db()
    assert "vacances" not in employee.photo.name
    with default_storage.open(employee.photo.name) as stored:
        data = stored.read()
    picture = Image.open(BytesIO(data))
    assert max(picture.size) <= 512
    assert picture.size == (512, 384)
    exif = picture.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert MAKE not in exif
    assert b"PhoneCam" not in data
    assert "exif" not in picture.info


def test_a_sideways_photo_is_turned_upright_before_its_metadata_goes(client, employee):
    picture = Image.new("RGB", (300, 100), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display
    output = BytesIO()
    picture.save(output, format="JPEG", exif=exif)
    _post_photo(client, employee, output.getvalue())
    employee.refresh_from_db()
    with default_storage.open(employee.photo.name) as stored:
        assert Image.open(stored).size == (100, 300)


def test_every_signed_in_employee_sees_a_photo(client, employee, colleague):
    _post_photo(client, employee, _jpeg_with_gps(600, 600))
    employee.refresh_from_db()
    client.force_login(colleague)
    response = client.get(employee.photo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_clearing_a_photo_removes_the_file(client, employee, django_capture_on_commit_callbacks):
    _post_photo(client, employee, _jpeg_with_gps(600, 600))
    employee.refresh_from_db()
    old = employee.photo.name
    url = reverse("people:profile_edit", kwargs={"username": employee.username})
    form = client.get(url).context["form"]
    fields = {k: v for k, v in form.initial.items() if v is not None and k != "photo"}
    fields["photo-clear"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, fields)
    assert response.status_code == 302
    employee.refresh_from_db()
    assert not employee.photo
    assert not default_storage.exists(old)


def test_a_file_that_is_not_a_picture_is_refused(client, employee):
    response = _post_photo(client, employee, b"%PDF-1.4 not a picture", name="cv.jpg")
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    employee.refresh_from_db()
    assert not employee.photo
