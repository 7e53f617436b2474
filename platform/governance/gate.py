"""The charter gate for views: keep what the person typed, send them to the charter, bring
them back to it.

Usage in another app's view::

    try:
        post = services.post_publish(author=request.user, ...)
    except CharterNotAccepted:
        return redirect_to_charter(request, return_url=request.get_full_path(),
                                   form_data=request.POST)

and, when rendering the form (GET)::

    saved = pending_form_data(request, request.get_full_path())
    form = PostForm(initial=saved.dict() if saved else None)

Uploaded files cannot be kept in a session: only the text fields come back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from core.http import is_safe_url

SESSION_KEY = "governance.pending_forms"
# Never carry the CSRF token over: the form rendered later has its own.
_NOT_KEPT = {"csrfmiddlewaretoken"}
# A session is not a store: keep the last few forms only.
_MAX_PENDING = 10


def safe_return_url(request: HttpRequest, url: str | None) -> str:
    """`url` if it points into this site, else the home page (no open redirect)."""
    if url and is_safe_url(request, url):
        return url
    return "/"


def _as_lists(form_data: Mapping[str, Any] | None) -> dict[str, list[str]]:
    if form_data is None:
        return {}
    if isinstance(form_data, QueryDict):
        items = form_data.lists()
    else:
        items = (
            (key, list(value) if isinstance(value, list | tuple) else [value])
            for key, value in form_data.items()
        )
    return {key: [str(v) for v in values] for key, values in items if key not in _NOT_KEPT}


def redirect_to_charter(
    request: HttpRequest, *, return_url: str, form_data: Mapping[str, Any] | None = None
) -> HttpResponseRedirect:
    """Save `form_data` in the session under `return_url`, then redirect to the charter page,
    which explains why and, once accepted, sends the person back to `return_url`."""
    return_url = safe_return_url(request, return_url)
    pending: dict[str, dict[str, list[str]]] = dict(request.session.get(SESSION_KEY, {}))
    pending.pop(return_url, None)
    pending[return_url] = _as_lists(form_data)
    while len(pending) > _MAX_PENDING:
        pending.pop(next(iter(pending)))
    request.session[SESSION_KEY] = pending
    return HttpResponseRedirect(
        reverse("governance:charter") + "?" + urlencode({"next": return_url, "gate": "1"})
    )


def pending_form_data(request: HttpRequest, return_url: str) -> QueryDict | None:
    """Pop and return what the person typed before the charter gate, for `return_url`.

    Returns a QueryDict (bind a form with it, or use `.dict()` as `initial`), or None when
    nothing was saved. Popped: a reload shows the form as usual.
    """
    pending = request.session.get(SESSION_KEY)
    if not pending or return_url not in pending:
        return None
    pending = dict(pending)
    data = pending.pop(return_url)
    request.session[SESSION_KEY] = pending
    result = QueryDict(mutable=True)
    for key, values in data.items():
        result.setlist(key, values)
    return result


def has_pending_form(request: HttpRequest, return_url: str) -> bool:
    return return_url in request.session.get(SESSION_KEY, {})
