"""Ask-me-anything pages: the list by status, the session page (asking keeps what was typed,
anonymity in the HTML), upvote and answer buttons, every refusal (404 outside the audience,
403 for what one sees but may not do) and the query budgets, flat as questions grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ama import services
from ama.models import Audience, Question
from governance.services import content_hide
from tests.ama.conftest import open_session
from tests.factories import UserFactory
from tests.governance.factories import PublishedCharterFactory

pytestmark = pytest.mark.django_db


def url(session, suffix=""):
    return f"/ama/{session.pk}/{suffix}"


def test_list_by_status(client, executive, employee):
    now = timezone.now()
    open_session(executive, title="Ouverte")
    open_session(
        executive,
        title="Bientôt",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
    )
    archived = open_session(executive, title="Passée")
    archived.starts_at, archived.ends_at = now - timedelta(days=3), now - timedelta(days=2)
    archived.save()
    client.force_login(employee)
    page = client.get("/ama/").content.decode()
    open_part, rest = page.split('data-testid="ama-upcoming"')
    upcoming_part, archived_part = rest.split('data-testid="ama-archived"')
    assert "Ouverte" in open_part and "Bientôt" in upcoming_part and "Passée" in archived_part
    assert "/ama/new/" not in page  # an employee may not open a session


def test_outside_the_audience_it_does_not_exist(client, executive, seller, accountant, sales):
    session = open_session(executive, audience=Audience.DEPARTMENTS, departments=[sales])
    question = services.question_ask(author=seller, session=session, text="Objectifs ?")
    client.force_login(accountant)
    assert session.title not in client.get("/ama/").content.decode()
    assert client.get(url(session)).status_code == 404
    assert client.post(url(session), {"text": "Et nous ?"}).status_code == 404
    assert client.post(url(session, f"questions/{question.pk}/upvote/")).status_code == 404
    assert client.post(url(session, f"questions/{question.pk}/answer/")).status_code == 404
    assert client.get("/ama/999999/").status_code == 404
    assert not Question.objects.filter(author=accountant).exists()


def test_community_session_is_for_its_members(client, manager, employee, community, colleague):
    session = open_session(manager, audience=Audience.COMMUNITY, community=community)
    client.force_login(colleague)  # not a member
    assert client.get(url(session)).status_code == 404
    client.force_login(employee)
    assert client.get(url(session)).status_code == 200


def test_open_form_refusals_keep_input(client, employee, executive):
    client.force_login(employee)
    assert client.get("/ama/new/").status_code == 403
    assert client.post("/ama/new/", {"title": "Non"}).status_code == 403
    client.force_login(executive)
    response = client.post(
        "/ama/new/",
        {"title": "Budget 2027", "audience": "departments", "ends_at": "2099-01-01T10:00"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Budget 2027" in page and "Choose at least one department." in page
    response = client.post(
        "/ama/new/", {"title": "Budget 2027", "audience": "everyone", "ends_at": "2099-01-01T10:00"}
    )
    assert response.status_code == 302


def test_ask_keeps_text_on_error_and_upvote_answer(client, session, executive, employee, colleague):
    client.force_login(employee)
    response = client.post(url(session), {"text": "x" * 1001})
    assert response.status_code == 400 and "x" * 1001 in response.content.decode()
    response = client.post(url(session), {"text": "Et la cantine ?", "anonymous": "on"})
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.anonymous
    # Own question: no upvote button, and the service refuses (403).
    page = client.get(url(session)).content.decode()
    assert f"questions/{question.pk}/upvote/" not in page
    assert "Anonymous colleague (you)" in page
    vote = url(session, f"questions/{question.pk}/upvote/")
    assert client.post(vote, HTTP_ACCEPT="application/json").status_code == 403
    client.force_login(colleague)
    assert client.post(vote).status_code == 302
    assert client.post(vote, HTTP_ACCEPT="application/json").status_code == 400  # only once
    answer = url(session, f"questions/{question.pk}/answer/")
    assert client.post(answer, {"text": "Moi"}, HTTP_ACCEPT="application/json").status_code == 403
    client.force_login(executive)
    assert client.post(answer, {"text": ""}, HTTP_ACCEPT="application/json").status_code == 400
    assert client.post(answer, {"text": "Elle rouvre lundi."}).status_code == 302
    page = client.get(url(session)).content.decode()
    answered = page.split('id="answered-title"')[1]
    assert "Elle rouvre lundi." in answered and "Et la cantine ?" in answered


def test_anonymous_in_the_html(client, session, employee, colleague, administrator):
    services.question_ask(author=employee, session=session, text="Salaires ?", anonymous=True)
    for reader in (colleague, session.host):
        client.force_login(reader)
        page = client.get(url(session)).content.decode()
        assert "Salaires ?" in page and "Anonymous colleague" in page
        assert employee.name not in page and employee.username not in page
    client.force_login(administrator)  # a moderator knows who asked
    assert employee.name in client.get(url(session)).content.decode()


def test_hidden_question_only_for_author_and_moderators(
    client, session, employee, colleague, administrator
):
    question = services.question_ask(author=employee, session=session, text="Hors sujet")
    content_hide(actor=administrator, obj=question, reason="Hors charte")
    client.force_login(colleague)
    assert "Hors sujet" not in client.get(url(session)).content.decode()
    vote = url(session, f"questions/{question.pk}/upvote/")
    assert client.post(vote).status_code == 404
    client.force_login(employee)
    assert "Hors charte" in client.get(url(session)).content.decode()


def test_host_may_not_moderate_own_session(session, employee):
    from django.core.exceptions import PermissionDenied

    question = services.question_ask(author=employee, session=session, text="Question")
    with pytest.raises(PermissionDenied):
        content_hide(actor=session.host, obj=question, reason="Je n'aime pas")


def test_charter_gate_keeps_the_question(client, session, employee):
    PublishedCharterFactory()
    client.force_login(employee)
    response = client.post(url(session), {"text": "Après la charte"})
    assert response.status_code == 302 and "/charter" in response["Location"]
    assert "Après la charte" in client.get(url(session)).content.decode()


def _fill(session, n):
    for i in range(n):
        author = UserFactory(username=f"asker{session.pk}-{i}-{Question.objects.count()}")
        question = services.question_ask(
            author=author, session=session, text=f"Question {i}", anonymous=i % 2 == 0
        )
        if i % 3 == 0:
            services.question_answer(host=session.host, question=question, text=f"Réponse {i}")


@pytest.mark.parametrize("reader_name", ["colleague", "executive", "administrator"])
def test_query_budget_flat(
    client, session, django_assert_max_num_queries, reader_name, request, employee
):
    reader = request.getfixturevalue(reader_name)
    client.force_login(reader)
    _fill(session, 3)
    client.get(url(session))
    with django_assert_max_num_queries(15) as few:
        assert client.get(url(session)).status_code == 200
    budget = len(few.captured_queries)  # read now: each request empties Django's query log
    _fill(session, 30)
    # 30 new people: the reader's navigation, kept under the people generation, is built
    # again once (people.generation); measured warm, as the first load was.
    client.get(url(session))
    with django_assert_max_num_queries(budget):
        assert client.get(url(session)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/ama/").status_code == 200


def test_hidden_answer_is_said_hidden_on_the_page_and_in_frames(
    client, session, employee, administrator
):
    from ama import selectors

    question = services.question_ask(author=employee, session=session, text="Question")
    answer = services.question_answer(host=session.host, question=question, text="Réponse vive")
    content_hide(actor=administrator, obj=answer, reason="Hors charte")
    question = Question.objects.select_related("author", "answer").get(pk=question.pk)
    assert selectors.question_payload(question)["answer"] == {"hidden": True}
    client.force_login(employee)
    page = client.get(url(session)).content.decode()
    assert "Réponse vive" not in page and "This answer was hidden by moderation." in page
