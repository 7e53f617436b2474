"""POST endpoints behind the comment and reaction forms of every target page.

Server-rendered forms work without JavaScript: each view parses, checks, calls a service and
redirects back to the page with a message. Nothing typed is lost: when a service refuses the
text (empty, too long, thread locked, charter to accept first), the text and the error go into
the session and come back in the same form (`selectors.comment_thread_context`). A request
that asks for JSON (`Accept: application/json`, the progressive enhancement in
`interactions.js`) gets the same answers as JSON.

Targets are looked up through `interactions.registry`: an unknown key, a missing object and an
object the viewer may not see all give the same 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interactions import services
from interactions.models import Comment
from interactions.permissions import access_comment
from interactions.registry import key_for, target_get
from interactions.selectors import DRAFTS_SESSION_KEY, draft_key, reaction_summary

_MAX_DRAFTS = 10


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _done(
    request: HttpRequest, *, comment_id: int, url: str, message: str, status: int = 200
) -> HttpResponse:
    """A write succeeded: JSON for scripts, otherwise back to the page with a message."""
    if _wants_json(request):
        return JsonResponse({"ok": True, "id": comment_id, "url": url}, status=status)
    messages.success(request, message)
    return HttpResponseRedirect(url)


def _back(request: HttpRequest, fallback: str, anchor: str = "") -> str:
    """Where to go after the POST: the page the form was on (`next`), if it is on this site,
    else the target's page; with an anchor to the comment or form concerned."""
    url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url = fallback
    url = url.split("#", 1)[0]
    return f"{url}#{anchor}" if anchor else url


def _messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _keep_draft(request: HttpRequest, key: str, text: str, error: str) -> None:
    drafts: dict[str, Any] = dict(request.session.get(DRAFTS_SESSION_KEY) or {})
    drafts.pop(key, None)
    drafts[key] = {"body": text[:20_000], "error": error}
    while len(drafts) > _MAX_DRAFTS:
        drafts.pop(next(iter(drafts)))
    request.session[DRAFTS_SESSION_KEY] = drafts


def _refused(
    request: HttpRequest, *, key: str, text: str, error: ValidationError, back: str
) -> HttpResponse:
    """Answer a refused text: keep it, say why, back to the form."""
    errors = _messages_of(error)
    if _wants_json(request):
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    _keep_draft(request, key, text, " ".join(errors))
    messages.error(request, " ".join(errors))
    return HttpResponseRedirect(back)


def _not_published(request: HttpRequest, text: str) -> HttpResponse:
    """The target is gone or out of sight: 404, with what the person typed given back, so
    that even then nothing is lost. The same page for "removed" and "never visible", so that
    private content does not reveal that it exists."""
    if _wants_json(request):
        return JsonResponse(
            {"ok": False, "errors": [_("This content is not available any more.")]}, status=404
        )
    return render(request, "interactions/not_published.html", {"text": text}, status=404)


def _charter_gate(request: HttpRequest, *, key: str, text: str, back: str) -> HttpResponse:
    from governance.gate import redirect_to_charter

    _keep_draft(request, key, text, "")
    if _wants_json(request):
        return JsonResponse(
            {"ok": False, "errors": [_("Accept the usage charter before you write.")]},
            status=403,
        )
    return redirect_to_charter(request, return_url=back)


def _charter_exception() -> type[Exception]:
    try:
        from governance.exceptions import CharterNotAccepted
    except ImportError:  # pragma: no cover - governance is always installed
        return type("NeverRaised", (Exception,), {})
    return CharterNotAccepted


@require_POST
def comment_create(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    text = request.POST.get("body", "")
    try:
        target = target_get(key, pk, viewer=request.user)
    except Http404:
        return _not_published(request, text)
    parent = None
    parent_id = request.POST.get("parent") or ""
    if parent_id:
        parent = Comment.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
        if parent is None:
            raise Http404
    form_key = draft_key("new", key, target.pk, parent.pk if parent else 0)
    anchor = f"reply-form-{parent.pk}" if parent else "comment-form"
    back = _back(request, target.get_absolute_url(), anchor)
    try:
        comment = services.comment_create(
            author=request.user, target=target, body=text, parent=parent
        )
    except _charter_exception():
        return _charter_gate(request, key=form_key, text=text, back=back)
    except ValidationError as error:
        return _refused(request, key=form_key, text=text, error=error, back=back)
    except PermissionDenied:
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "errors": [_("You cannot comment here.")]}, status=403
            )
        raise
    url = _back(request, target.get_absolute_url(), comment.anchor)
    return _done(
        request,
        comment_id=comment.pk,
        url=url,
        message=_("Your comment is published."),
        status=201,
    )


@require_POST
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    text = request.POST.get("body", "")
    try:
        comment, target = access_comment(request.user, pk)
    except Http404:
        return _not_published(request, text)
    back = _back(request, target.get_absolute_url(), comment.anchor)
    try:
        services.comment_edit(editor=request.user, comment=comment, body=text)
    except ValidationError as error:
        return _refused(
            request,
            key=draft_key("edit", comment.pk),
            text=text,
            error=error,
            back=_back(request, target.get_absolute_url(), f"edit-form-{comment.pk}"),
        )
    return _done(request, comment_id=comment.pk, url=back, message=_("Your comment is updated."))


@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = access_comment(request.user, pk)
    services.comment_delete(actor=request.user, comment=comment)
    back = _back(request, target.get_absolute_url(), comment.anchor)
    return _done(request, comment_id=comment.pk, url=back, message=_("Your comment is removed."))


@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = access_comment(request.user, pk)
    reason = request.POST.get("reason", "")
    back = _back(request, target.get_absolute_url(), comment.anchor)
    try:
        services.comment_hide(moderator=request.user, comment=comment, reason=reason)
    except ValidationError as error:
        return _refused(
            request, key=draft_key("hide", comment.pk), text=reason, error=error, back=back
        )
    return _done(request, comment_id=comment.pk, url=back, message=_("The comment is hidden."))


@require_POST
def comment_restore(request: HttpRequest, pk: int) -> HttpResponse:
    comment, target = access_comment(request.user, pk)
    services.comment_restore(moderator=request.user, comment=comment)
    back = _back(request, target.get_absolute_url(), comment.anchor)
    return _done(
        request, comment_id=comment.pk, url=back, message=_("The comment is visible again.")
    )


@require_POST
def reaction_toggle(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    target = target_get(key, pk, viewer=request.user)
    kind = request.POST.get("kind", "")
    anchor = target.anchor if isinstance(target, Comment) else f"reactions-{key}-{target.pk}"
    back = _back(request, target.get_absolute_url(), anchor)
    try:
        added = services.reaction_toggle(user=request.user, target=target, kind=kind)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": _messages_of(error)}, status=400)
        messages.error(request, " ".join(_messages_of(error)))
        return HttpResponseRedirect(back)
    if _wants_json(request):
        summary = reaction_summary(targets=[target], viewer=request.user)
        (counts,) = summary.values()
        return JsonResponse(
            {
                "ok": True,
                "added": added,
                "key": key_for(target),
                "counts": counts.counts,
                "mine": sorted(counts.mine),
            }
        )
    return HttpResponseRedirect(back)
