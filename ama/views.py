"""Ask-me-anything pages: the list of sessions, the form to open one, a session's page (where
the audience asks, under its questions), and the upvote and answer buttons.
Parse, check, call, render; refusals through `core.refusals`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ama import live, permissions, selectors, services
from ama.forms import AnswerForm, QuestionForm, SessionForm
from ama.models import Session, Status
from core.refusals import REFUSALS, answer_refusal, form_refusal
from core.types import AuthenticatedRequest
from governance.gate import pending_form_data


def index(request: AuthenticatedRequest) -> HttpResponse:
    context = {
        "lists": selectors.sessions_by_status(request.user),
        "can_open": permissions.may_open_some_session(request.user),
    }
    return render(request, "ama/index.html", context)


def create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.may_open_some_session(request.user):
        raise PermissionDenied
    saved = pending_form_data(request, request.path) if request.method == "GET" else None
    initial = (
        {"audience": "community", "community": request.GET["community"]}
        if ("community" in request.GET)
        else None
    )
    form = SessionForm(request.POST or saved, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_open(host=request.user, **form.service_arguments())
        except REFUSALS as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(request, _("The session is open to its audience."))
            return redirect(session.get_absolute_url())
    return render(request, "ama/form.html", {"form": form})


def _page(request: AuthenticatedRequest, session: Session, form: QuestionForm) -> HttpResponse:
    user, status = request.user, session.status
    context = {
        "session": session,
        "status": status,
        "is_open": status == Status.OPEN,
        # Read before the board: a frame numbered after it is applied on top (ama.live).
        "live_seq": live.current_seq(live.session_group(session.pk)),
        "board": selectors.board(session, user),
        "form": form,
        "can_ask": permissions.can_ask_question(user, session),
        "is_host": permissions.is_host(user, session),
        "in_audience": permissions.in_audience(user, session),
        "names": selectors.shows_names(user, session),
        "statuses": Status,
        "live_labels": live_labels(),
    }
    return render(request, "ama/detail.html", context, status=400 if form.errors else 200)


def live_labels() -> dict[str, str]:
    """The words the page's script writes in live rows, in the reader's language."""
    return {
        "anonymous": _("Anonymous colleague"),
        "votes_one": _("1 vote"),
        "votes_many": _("%(n)s votes"),
        "upvote": _("Upvote"),
        "answer": _("Answer"),
        "your_answer": _("Your answer"),
        "answered": _("answered:"),
        "hidden": _("Hidden by moderation."),
    }


def detail(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """The session page; POST asks a question (the form comes back with what was typed)."""
    session = permissions.access_session(request.user, session_id)
    saved = pending_form_data(request, request.path) if request.method == "GET" else None
    form = QuestionForm(request.POST or saved)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_ask(author=request.user, session=session, **form.cleaned_data)
        except REFUSALS as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(request, _("Your question has been asked."))
            return redirect(session.get_absolute_url())
    return _page(request, session, form)


@require_POST
def upvote(request: AuthenticatedRequest, session_id: int, question_id: int) -> HttpResponse:
    session = permissions.access_session(request.user, session_id)
    question = permissions.access_question(request.user, session, question_id)
    try:
        services.question_upvote(voter=request.user, question=question)
    except REFUSALS as error:
        return answer_refusal(request, error, back=session.get_absolute_url())
    return redirect(question.get_absolute_url())


@require_POST
def answer(request: AuthenticatedRequest, session_id: int, question_id: int) -> HttpResponse:
    session = permissions.access_session(request.user, session_id)
    question = permissions.access_question(request.user, session, question_id)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise services.AmaError(_("Write your answer."), field="text")
        services.question_answer(host=request.user, question=question, **form.cleaned_data)
    except REFUSALS as error:
        return answer_refusal(request, error, back=question.get_absolute_url())
    messages.success(request, _("Your answer is published."))
    return redirect(question.get_absolute_url())
