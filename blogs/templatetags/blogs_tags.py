from django import template

from blogs.feeds import post_summary as _post_summary

register = template.Library()


@register.filter
def post_summary(post, words: int = 40) -> str:
    """Plain text opening of a post (no markup: it is stripped, then escaped by the template)."""
    return _post_summary(post, length=int(words))
