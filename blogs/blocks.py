"""StreamField blocks of a blog post: what an employee can put in a post body.

Rich text is Wagtail's own editor output (its features list is the allow-list of markup); embeds
are limited to a short allow-list of video and slide providers so that a post never pulls
arbitrary third-party HTML into the intranet.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "hr", "strikethrough"]

# Hosts whose oEmbed HTML may appear in a post. Anything else is refused with a clear message.
ALLOWED_EMBED_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "youtu.be",
        "vimeo.com",
        "player.vimeo.com",
        "www.dailymotion.com",
        "dai.ly",
        "www.slideshare.net",
    }
)


def embed_url_allowed(url: str) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme == "https" and (parts.hostname or "").lower() in ALLOWED_EMBED_HOSTS


class BaseBlock(blocks.StructBlock):
    """Shared base: every structured block renders from `blogs/blocks/<name>.html`."""

    class Meta:
        abstract = True


class HeadingBlock(BaseBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"), choices=[("h2", _("Section")), ("h3", _("Sub-section"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blogs/blocks/heading.html"


class QuoteBlock(BaseBlock):
    text = blocks.TextBlock(label=_("Quote"))
    source = blocks.CharBlock(label=_("Source"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blogs/blocks/quote.html"


class ImageBlock(BaseBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    alt_text = blocks.CharBlock(
        label=_("Description for screen readers"), required=False, max_length=250
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blogs/blocks/image.html"


class CodeBlock(BaseBlock):
    language = blocks.ChoiceBlock(
        label=_("Language"),
        required=False,
        choices=[
            ("", _("Plain text")),
            ("python", "Python"),
            ("javascript", "JavaScript"),
            ("sql", "SQL"),
            ("bash", "Shell"),
            ("html", "HTML"),
        ],
    )
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        label = _("Code")
        template = "blogs/blocks/code.html"


class AllowListedEmbedBlock(EmbedBlock):
    """An embed whose URL must be on ALLOWED_EMBED_HOSTS; checked before any oEmbed fetch."""

    def clean(self, value):
        url = getattr(value, "url", value)
        if url and not embed_url_allowed(url):
            raise ValidationError(
                _(
                    "Only videos and slides from YouTube, Vimeo, Dailymotion or SlideShare "
                    "can be embedded."
                )
            )
        return super().clean(value)

    def get_context(self, value, parent_context=None):
        # Checked again at render time: a body saved before a host left the list stays safe.
        context = super().get_context(value, parent_context=parent_context)
        context["allowed"] = bool(value) and embed_url_allowed(value.url)
        return context

    class Meta:
        icon = "media"
        label = _("Video or slides")
        template = "blogs/blocks/embed.html"


class PostBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    code = CodeBlock()
    embed = AllowListedEmbedBlock(label=_("Video or slides"))

    class Meta:
        block_counts = {}


class StrictBlockWidget(blocks.BlockWidget):
    """Wagtail's StreamField widget, answering 400 to a post it cannot read.

    Wagtail reads a StreamField from the form as `<name>-count`, `<name>-<i>-type`,
    `-deleted`, `-order`... and assumes the editor's JavaScript wrote them all: a post without
    them (a script, a fuzzer, a stale tab) raised KeyError or ValueError, a 500, in the editor
    and its preview alike. A request the editor could not have sent is a bad request."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (KeyError, ValueError, TypeError, IndexError, OverflowError) as error:
            raise BadRequest("malformed StreamField data") from error


class StreamFieldPanel(FieldPanel):
    """A FieldPanel for a StreamField with `StrictBlockWidget`."""

    def get_form_options(self):
        options = super().get_form_options()
        options["widgets"] = {self.field_name: StrictBlockWidget(self.db_field.stream_block)}
        return options
