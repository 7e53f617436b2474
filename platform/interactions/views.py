"""POST endpoints behind the comment and reaction forms of every target page.

Server-rendered forms work without JavaScript: each view parses, checks, calls a service and
redirects back to the page with a message. Nothing typed is lost: when a service refuses the
text (empty, too long, thread locked, charter to accept first), the text and the error go into
the session and come back in the same form (`selectors.comment_thread_context`). A request
that asks for JSON (`Accept: application/json`, the progressive enhancement in
`interactions.js`) gets the same answers as JSON.

Every refusal is answered by `core.refusals.answer_refusal` through `_refused`; targets are
looked up through `interactions.registry` (an unknown key, a missing object and an object the
viewer may not see all give the same 404). Hiding and restoring a comment is the one
moderation path, `governance.services.content_hide` / `content_restore`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import safe_next, wants_json
from core.refusals import REFUSALS, answer_refusal, refusal_messages
from core.types import AuthenticatedRequest
from governance.exceptions import CharterNotAccepted
from governance.services import content_hide, content_restore
from interactions import services
from interactions.models import Comment
from interactions.permissions import access_comment
from interactions.registry import key_for, target_get
from interactions.selectors import DRAFTS_SESSION_KEY, draft_key, reaction_summary

_MAX_DRAFTS = 10
# Drafts kept in the session, all together; the newest is always kept whole, whatever its
# length (the request that carried it is already bounded by DATA_UPLOAD_MAX_MEMORY_SIZE).
_DRAFTS_BUDGET = 200_000


def _back(request: HttpRequest, fallback: str, anchor: str = "") -> str:
    """Where to go after the POST: the page the form was on (its safe `next`), else the
    target's page; with an anchor to the comment or form concerned."""
    url = safe_next(request, fallback).split("#", 1)[0]
    return f"{url}#{anchor}" if anchor else url


def _done(
    request: HttpRequest, *, comment_id: int, url: str, message: str, status: int = 200
) -> HttpResponse:
    """A write succeeded: JSON for scripts, otherwise back to the page with a message."""
    if wants_json(request):
        return JsonResponse({"ok": True, "id": comment_id, "url": url}, status=status)
    messages.success(request, message)
    return HttpResponseRedirect(url)


def _keep_draft(request: HttpRequest, key: str, text: str, error: str) -> None:
    drafts: dict[str, Any] = dict(request.session.get(DRAFTS_SESSION_KEY) or {})
    drafts.pop(key, None)
    drafts[key] = {"body": text, "error": error}

    def size() -> int:
        return sum(len(draft["body"]) for draft in drafts.values())

    while len(drafts) > 1 and (len(drafts) > _MAX_DRAFTS or size() > _DRAFTS_BUDGET):
        drafts.pop(next(iter(drafts)))  # the oldest first
    request.session[DRAFTS_SESSION_KEY] = drafts


def _refused(
    request: HttpRequest, error: Exception, *, back: str, draft: str = "", text: str = ""
) -> HttpResponse:
    """The one answer to a refusal of these views: the text typed is kept under `draft` (it
    comes back in its form), then `answer_refusal` says why (message, JSON or the charter).

    A `PermissionDenied` on a page is a forged POST (the buttons are not shown): the plain 403
    page, as Django answers it."""
    if isinstance(error, PermissionDenied) and not wants_json(request):
        raise error
    charter = isinstance(error, CharterNotAccepted)
    if draft and not wants_json(request):
        # After the charter the form comes back with the text and no error to read.
        _keep_draft(request, draft, text, "" if charter else " ".join(refusal_messages(error)))
    if isinstance(error, CharterNotAccepted) and error.return_url is None:
        error.return_url = back  # back to the page, not to this POST-only endpoint
    return answer_refusal(request, error, back=back)


def _not_published(request: HttpRequest, text: str) -> HttpResponse:
    """The target is gone or out of sight: 404, with what the person typed given back, so
    that even then nothing is lost. The same page for "removed" and "never visible", so that
    private content does not reveal that it exists."""
    if wants_json(request):
        return JsonResponse(
            {"ok": False, "errors": [_("This content is not available any more.")]}, status=404
        )
    return render(request, "interactions/not_published.html", {"text": text}, status=404)


def _parent(request: HttpRequest) -> Comment | None:
    """The comment answered (`parent` field), 404 when it names none."""
    parent_id = request.POST.get("parent") or ""
    if not parent_id:
        return None
    parent = Comment.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
    if parent is None:
        raise Http404
    return parent


@require_POST
def comment_create(request: AuthenticatedRequest, key: str, pk: int) -> HttpResponse:
    text = request.POST.get("body", "")
    try:
        target = target_get(key, pk, viewer=request.user)
    except Http404:
        return _not_published(request, text)
    parent = _parent(request)
    draft = draft_key("new", key, target.pk, parent.pk if parent else 0)
    back = _back(
        request, target.get_absolute_url(), f"reply-form-{parent.pk}" if parent else "comment-form"
    )
    try:
        comment = services.comment_create(
            author=request.user, target=target, body=text, parent=parent
        )
    except REFUSALS as error:
        return _refused(request, error, back=back, draft=draft, text=text)
    url = _back(request, target.get_absolute_url(), comment.anchor)
    return _done(
        request, comment_id=comment.pk, url=url, message=_("Your comment is published."), status=201
    )


@require_POST
def comment_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    text = request.POST.get("body", "")
    try:
        comment, target = access_comment(request.user, pk)
    except Http404:
        return _not_published(request, text)
    try:
        services.comment_edit(editor=request.user, comment=comment, body=text)
    except REFUSALS as error:
        back = _back(request, target.get_absolute_url(), f"edit-form-{comment.pk}")
        return _refused(request, error, back=back, draft=draft_key("edit", comment.pk), text=text)
    back = _back(request, target.get_absolute_url(), comment.anchor)
    return _done(request, comment_id=comment.pk, url=back, message=_("Your comment is updated."))


@require_POST
def comment_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment, target = access_comment(request.user, pk)
    back = _back(request, target.get_absolute_url(), comment.anchor)
    try:
        services.comment_delete(actor=request.user, comment=comment)
    except REFUSALS as error:
        return _refused(request, error, back=back)
    return _done(request, comment_id=comment.pk, url=back, message=_("Your comment is removed."))


@require_POST
def comment_hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment, target = access_comment(request.user, pk)
    reason = request.POST.get("reason", "")
    back = _back(request, target.get_absolute_url(), comment.anchor)
    try:
        content_hide(actor=request.user, obj=comment, reason=reason)
    except REFUSALS as error:
        return _refused(request, error, back=back, draft=draft_key("hide", comment.pk), text=reason)
    return _done(request, comment_id=comment.pk, url=back, message=_("The comment is hidden."))


@require_POST
def comment_restore(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment, target = access_comment(request.user, pk)
    back = _back(request, target.get_absolute_url(), comment.anchor)
    try:
        content_restore(actor=request.user, obj=comment)
    except REFUSALS as error:
        return _refused(request, error, back=back)
    return _done(
        request, comment_id=comment.pk, url=back, message=_("The comment is visible again.")
    )


def _reactions_json(request: AuthenticatedRequest, target: Any, *, added: bool) -> JsonResponse:
    (counts,) = reaction_summary(targets=[target], viewer=request.user).values()
    return JsonResponse(
        {
            "ok": True,
            "added": added,
            "key": key_for(target),
            "counts": counts.counts,
            "mine": sorted(counts.mine),
        }
    )


@require_POST
def reaction_toggle(request: AuthenticatedRequest, key: str, pk: int) -> HttpResponse:
    target = target_get(key, pk, viewer=request.user)
    anchor = target.anchor if isinstance(target, Comment) else f"reactions-{key}-{target.pk}"
    back = _back(request, target.get_absolute_url(), anchor)
    try:
        added = services.reaction_toggle(
            user=request.user, target=target, kind=request.POST.get("kind", "")
        )
    except REFUSALS as error:
        return _refused(request, error, back=back)
    if wants_json(request):
        return _reactions_json(request, target, added=added)
    return HttpResponseRedirect(back)
