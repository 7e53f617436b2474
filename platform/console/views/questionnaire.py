"""The executives' questionnaire: fill it in (executives, administrators), read the summary
next to the measured maturity stage, and each dated response."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from console import selectors, services
from console.forms import QuestionnaireForm
from console.permissions import (
    access_questionnaire_response,
    can_answer_questionnaire,
    can_view_questionnaire_summary,
)
from console.questionnaire import QUESTIONS
from core.refusals import REFUSALS, form_refusal
from core.types import AuthenticatedRequest

HISTORY_PAGE_SIZE = 30


def questionnaire_fill(request: AuthenticatedRequest) -> HttpResponse:
    """Fill in the questionnaire; starts from your previous answers, keeps a new dated copy."""
    if not can_answer_questionnaire(request.user):
        raise Http404
    previous = selectors.questionnaire_latest_of(request.user)
    initial = selectors.questionnaire_initial(previous)
    form = QuestionnaireForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_submit(
                respondent=request.user,
                believed_stage=form.cleaned_data["believed_stage"],
                answers=form.answers(),
            )
        except REFUSALS as error:
            own = form_refusal(request, form, error)
            if own is not None:
                return own
        else:
            messages.success(request, _("Thank you: your answers are kept with today's date."))
            return redirect("governance:questionnaire_summary")
    context = {"form": form, "previous": previous}
    return render(request, "console/questionnaire_form.html", context)


def questionnaire_summary(request: AuthenticatedRequest) -> HttpResponse:
    """What leaders believe, next to what the platform measures, and the history."""
    if not can_view_questionnaire_summary(request.user):
        raise Http404
    summary = selectors.questionnaire_summary(selectors.questionnaire_latest_per_respondent())
    history = selectors.questionnaire_history()
    page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/questionnaire_summary.html",
        {**summary, "page": page, "can_answer": can_answer_questionnaire(request.user)},
    )


def questionnaire_response(request: AuthenticatedRequest, response_id: int) -> HttpResponse:
    response = access_questionnaire_response(request.user, response_id)
    answers = [(q, response.answers.get(q.key, "")) for q in QUESTIONS]
    context = {"response": response, "answers": answers}
    return render(request, "console/questionnaire_response.html", context)
