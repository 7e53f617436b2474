"""Profile photos as they are stored: at most RUCHE_PHOTO_MAX_PIXELS on each side, without the
metadata the camera wrote (EXIF: GPS position, device, date; XMP; comments).

The picture is decoded and drawn again into a new image, so nothing of the uploaded file but
its pixels is kept; the EXIF orientation is applied first so the photo stays upright.
"""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Decoding a "decompression bomb" (a small file of billions of pixels) would take the worker's
# memory: Pillow refuses above this.
MAX_SOURCE_PIXELS = 40_000_000
JPEG_QUALITY = 85


def photo_normalise(upload: UploadedFile, *, max_side: int | None = None) -> ContentFile[bytes]:
    """A JPEG (or PNG when the photo has transparency) of the uploaded picture, resized to fit
    `max_side` (default RUCHE_PHOTO_MAX_PIXELS) and without metadata; ValidationError when it
    is not a picture Pillow can read. Profile photos and the images of posts both go through
    it."""
    try:
        with Image.open(upload) as source:
            if source.width * source.height > MAX_SOURCE_PIXELS:
                raise ValidationError(_("This picture is too large."), code="too_large")
            source.load()
            picture = ImageOps.exif_transpose(source)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("Upload a valid image: the file is not a picture or is damaged."), code="invalid"
        ) from error
    side = max_side or settings.RUCHE_PHOTO_MAX_PIXELS
    picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    transparent = picture.mode in ("RGBA", "LA") or "transparency" in picture.info
    # A new image holds the pixels only: no info dictionary, no EXIF, no ICC profile tricks.
    clean = Image.new("RGBA" if transparent else "RGB", picture.size)
    clean.paste(picture.convert(clean.mode))
    output = BytesIO()
    if transparent:
        clean.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        clean.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"photo.{extension}")
