"""The executives' questionnaire: who answers, history kept per person and date, and the
summary of beliefs next to the measured stage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from console import selectors, services
from console.models import QuestionnaireResponse
from console.questionnaire import QUESTIONS

pytestmark = pytest.mark.django_db


def test_the_27_questions_of_seed_001_in_both_languages():
    assert len(QUESTIONS) == 27
    assert QUESTIONS[5].fr.startswith("Avez-vous un mapping des permissions")
    assert "map of the permissions" in QUESTIONS[5].en
    assert QUESTIONS[8].en.startswith("Do your employees know the limits")
    assert all(q.fr and q.en and q.fr != q.en for q in QUESTIONS)


def test_executives_and_administrators_answer_employees_do_not(employee, executive, administrator):
    services.questionnaire_submit(respondent=executive, believed_stage="testing", answers={})
    services.questionnaire_submit(respondent=administrator, believed_stage="dormant", answers={})
    with pytest.raises(PermissionDenied):
        services.questionnaire_submit(respondent=employee, believed_stage="testing", answers={})


def test_answers_are_kept_per_person_and_date(executive):
    earlier = services.questionnaire_submit(
        respondent=executive,
        believed_stage="testing",
        answers={"1": "Mieux collaborer", "2": "  "},
        submitted_at=timezone.now() - timedelta(days=90),
    )
    later = services.questionnaire_submit(
        respondent=executive, believed_stage="coordinating", answers={"1": "Décloisonner"}
    )
    assert earlier.answers == {"1": "Mieux collaborer"}  # empty answers are not kept
    assert list(selectors.questionnaire_history()) == [later, earlier]
    assert selectors.questionnaire_latest_per_respondent() == [later]


def test_bad_input_is_refused_whole(executive):
    with pytest.raises(ValidationError):
        services.questionnaire_submit(respondent=executive, believed_stage="nirvana", answers={})
    with pytest.raises(ValidationError):
        services.questionnaire_submit(
            respondent=executive, believed_stage="testing", answers={"99": "?"}
        )
    assert not QuestionnaireResponse.objects.exists()


def test_form_keeps_everything_typed_when_something_is_wrong(client, executive):
    client.force_login(executive)
    url = reverse("governance:questionnaire_fill")
    response = client.post(url, {"q1": "Notre objectif", "q27": "x" * 6000})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["believed_stage"] and form.errors["q27"]
    assert form["q1"].value() == "Notre objectif"
    assert not QuestionnaireResponse.objects.exists()
    response = client.post(url, {"q1": "Notre objectif", "believed_stage": "scaling"})
    assert response.status_code == 302
    assert QuestionnaireResponse.objects.get().answers == {"1": "Notre objectif"}
    # The next time, the form starts from the previous answers.
    again = client.get(url)
    assert again.context["form"]["q1"].value() == "Notre objectif"


def test_pages_are_closed_to_employees(employee_client, executive):
    response = services.questionnaire_submit(
        respondent=executive, believed_stage="testing", answers={"3": "Écouter"}
    )
    for url in (
        reverse("governance:questionnaire_summary"),
        reverse("governance:questionnaire_fill"),
        reverse("governance:questionnaire_response", args=[response.pk]),
    ):
        assert employee_client.get(url).status_code == 404


def test_summary_says_honestly_when_no_stage_is_measured(client, executive):
    services.questionnaire_submit(respondent=executive, believed_stage="scaling", answers={})
    client.force_login(executive)
    page = client.get(reverse("governance:questionnaire_summary"))
    assert page.context["measured"] is None
    assert "Not computed yet" in page.content.decode()
    beliefs = {b["value"]: b["count"] for b in page.context["beliefs"]}
    assert beliefs["scaling"] == 1


def test_summary_shows_the_measured_stage_beside_beliefs(
    client, executive, administrator, django_assert_max_num_queries
):
    from metrics.models import ScopeDay, Stage

    ScopeDay.objects.create(day=timezone.localdate(), department_id=None, stage=Stage.TESTING)
    services.questionnaire_submit(
        respondent=executive, believed_stage="scaling", answers={"1": "Réponse"}
    )
    client.force_login(administrator)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("governance:questionnaire_summary"))
    assert page.context["measured"].stage == "testing"
    measured_rows = [b["value"] for b in page.context["beliefs"] if b["measured"]]
    assert measured_rows == ["testing"]
    detail = client.get(
        reverse(
            "governance:questionnaire_response",
            args=[QuestionnaireResponse.objects.get().pk],
        )
    )
    assert "Réponse" in detail.content.decode()


@pytest.fixture
def stage_provider():
    """Register a maturity-stage provider for one test (metrics registers the real one), and
    put back whatever was registered before."""
    from core import measures

    saved = list(measures._PROVIDERS)
    yield measures.register_stage_provider
    measures._PROVIDERS[:] = saved


def test_summary_reads_the_stage_through_core_measures(client, executive, stage_provider):
    """The console may not import metrics: the measured stage comes from the provider metrics
    registers in core.measures."""
    from core.measures import StageMeasure

    day = timezone.localdate() - timedelta(days=1)
    stage_provider(lambda: StageMeasure(label="Scaling", as_of=day, rank=3))
    services.questionnaire_submit(respondent=executive, believed_stage="scaling", answers={})
    client.force_login(executive)
    page = client.get(reverse("governance:questionnaire_summary"))
    assert page.context["measured"] == selectors.MeasuredStage(
        stage="scaling", label="Scaling", day=day
    )
    assert [b["value"] for b in page.context["beliefs"] if b["measured"]] == ["scaling"]
    stage_provider(lambda: None)
    assert client.get(reverse("governance:questionnaire_summary")).context["measured"] is None
