import uuid

from django import template

from blogs.feeds import post_summary as _post_summary
from blogs.forms import composer_form_for

register = template.Library()


@register.filter
def post_summary(post, words: int = 40) -> str:
    """Plain text opening of a post (no markup: it is stripped, then escaped by the template)."""
    return _post_summary(post, length=int(words))


@register.inclusion_tag("blogs/includes/composer_form.html", takes_context=True)
def composer_box(context, for_person=None, place: str = "") -> dict:
    """The composer on a page (blogs/_composer.html): on the home page for everyone, on a blog
    for those who write on it, in the Leadership space for executives and their delegates."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"form": None}
    form = composer_form_for(user)
    chosen = getattr(for_person, "pk", None) or user.pk
    if place == "leadership":
        if not _leads(user, form):
            return {"form": None}
        if not user.is_executive:  # a delegate writes here for the executive they help
            chosen = next(pk for pk in form.people if pk != user.pk)
    if chosen not in form.people:
        return {"form": None}
    form.initial["person"] = chosen
    return {"form": form, "csrf_token": context.get("csrf_token"), "request": request}


def _leads(user, form) -> bool:
    return bool(user.is_executive) or len(form.people) > 1


@register.simple_tag
def new_idempotency_key() -> str:
    """A fresh idempotency key for a form that creates a post (Wagtail's new-post form)."""
    return str(uuid.uuid4())
