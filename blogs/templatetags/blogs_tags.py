import uuid

from django import template
from django.template.loader import render_to_string

from blogs import versions
from blogs.feeds import post_summary as _post_summary
from blogs.forms import composer_form_for
from core.rendering import cached_fragment, fragment_key, page_token

register = template.Library()


@register.filter
def post_summary(post, words: int = 40) -> str:
    """Plain text opening of a post (no markup: it is stripped, then escaped by the template)."""
    return _post_summary(post, length=int(words))


COMPOSER_TEMPLATE = "blogs/includes/composer_form.html"
COMPOSER_TEMPLATES = (
    COMPOSER_TEMPLATE,
    "core/includes/field.html",
    "core/includes/form_errors.html",
    "core/includes/people_picker_script.html",
)
# Each page gets its own idempotency key, put in place of this one after the cache.
IDEMPOTENCY_PLACEHOLDER = "ruche-idempotency-key-placeholder"
COMPOSER_SECONDS = 60 * 60


@register.simple_tag(takes_context=True)
def composer_box(context, for_person=None, place: str = "") -> str:
    """The composer on a page (blogs/_composer.html): on the home page for everyone, on a blog
    for those who write on it, in the Leadership space for executives and their delegates.

    The same for a person until someone's delegations or a person change, so it is kept in
    the cache under those versions (`blogs.versions`); its one-time key is new every time."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""

    def render(csrf_token: str) -> str:
        values = _composer_context(user, for_person, place)
        if values is None:
            return ""
        values["form"].initial["idempotency_key"] = IDEMPOTENCY_PLACEHOLDER
        return render_to_string(
            COMPOSER_TEMPLATE, {**values, "csrf_token": csrf_token}, request=request
        )

    state = (user.pk, getattr(for_person, "pk", None), place, versions.composer_versions())
    return cached_fragment(
        fragment_key(COMPOSER_TEMPLATES, state),
        render,
        csrf_token=page_token(request),
        seconds=COMPOSER_SECONDS,
        fill={IDEMPOTENCY_PLACEHOLDER: str(uuid.uuid4())},
    )


def _composer_context(user, for_person, place: str) -> dict | None:
    form = composer_form_for(user)
    chosen = getattr(for_person, "pk", None) or user.pk
    if place == "leadership":
        if not _leads(user, form):
            return None
        if not user.is_executive:  # a delegate writes here for the executive they help
            chosen = next(pk for pk in form.people if pk != user.pk)
    if chosen not in form.people:
        return None
    form.initial["person"] = chosen
    return {"form": form}


def _leads(user, form) -> bool:
    return bool(user.is_executive) or len(form.people) > 1


@register.simple_tag
def new_idempotency_key() -> str:
    """A fresh idempotency key for a form that creates a post (Wagtail's new-post form)."""
    return str(uuid.uuid4())
