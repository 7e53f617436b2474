"""Images inside a post's rich text (the composer's pasted or dropped images, Wagtail's
`<embed embedtype="image" format="...">`) render with a `srcset` of renditions, like the image
block (`blogs/blocks/image.html`): a phone downloads the small one, nothing overflows its column
(`ruche.css`, "Images, embeds, code and tables that fit the column"). Wagtail finds this module
by its name (`image_formats`) and uses these formats in place of its own three."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.images.formats import Format, register_image_format, unregister_image_format
from wagtail.images.models import ResponsiveImage
from wagtail.images.shortcuts import get_renditions_or_not_found


class SrcsetFormat(Format):
    """A rich-text image format rendered as `<img srcset="... 480w, ... 800w">`."""

    def __init__(self, name: str, label: Any, classname: str, widths: tuple[int, ...], sizes: str):
        super().__init__(name, label, classname, f"width-{widths[-1]}")
        self.specs = [f"width-{width}" for width in widths]
        self.sizes = sizes

    def image_to_html(self, image: Any, alt_text: str, extra_attributes: dict | None = None) -> str:
        if extra_attributes is not None:  # the editor's own preview: one rendition is enough
            return super().image_to_html(image, alt_text, extra_attributes)
        renditions = get_renditions_or_not_found(image, self.specs)
        attrs = {"alt": alt_text, "class": self.classname, "sizes": self.sizes, "loading": "lazy"}
        return ResponsiveImage(renditions, attrs).__html__()


for _name in ("fullwidth", "left", "right"):
    unregister_image_format(_name)
register_image_format(
    SrcsetFormat(
        "fullwidth",
        _("Full width"),
        "richtext-image full-width",
        (480, 800, 1200),
        "(max-width: 48rem) 100vw, 48rem",
    )
)
register_image_format(
    SrcsetFormat(
        "left",
        _("Left-aligned"),
        "richtext-image left",
        (320, 500),
        "(max-width: 30rem) 100vw, 24rem",
    )
)
register_image_format(
    SrcsetFormat(
        "right",
        _("Right-aligned"),
        "richtext-image right",
        (320, 500),
        "(max-width: 30rem) 100vw, 24rem",
    )
)
