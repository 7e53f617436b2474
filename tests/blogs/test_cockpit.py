"""The executive's cockpit (/leadership/me/): what waits for the executive's answer, answering
inline, the delegates' drafts marked ready for review, reach and voice; and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activity.models import ParticipationEvent, Verb
from activity.services import view_record
from blogs import services
from blogs.models import ReviewRequest
from interactions.models import COMMENT_MAX_LENGTH, Comment
from interactions.services import comment_create
from metrics.services import metrics_refresh
from notifications.models import Notification
from tests.factories import DepartmentFactory, UserFactory
from tests.metrics.factories import joined_long_ago

pytestmark = pytest.mark.django_db

COCKPIT = "/leadership/me/"
MAX_COCKPIT = 15


@pytest.fixture
def exec_post(executive):
    return services.post_create(
        actor=executive, title="Notre cap pour 2027", body="Parlons-en.", publish=True
    )


@pytest.fixture
def question(exec_post, employee):
    return comment_create(
        author=employee, target=exec_post, body="Quand aurons-nous le calendrier ?"
    )


def _draft(delegate, executive, title="Vœux de la direction"):
    return services.post_create(
        actor=delegate, for_person=executive, title=title, body="Un brouillon."
    )


# --- What the executive sees ---------------------------------------------------------------------
def test_executive_sees_the_question_text_its_place_and_a_reply_box(login, executive, question):
    response = login(executive).get(COCKPIT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quand aurons-nous le calendrier ?" in html
    assert "Notre cap pour 2027" in html  # its place
    assert f'action="{reverse("leadership:answer", args=[question.pk])}"' in html
    assert 'data-testid="read-only"' not in html


def test_answered_questions_and_own_comments_do_not_wait(login, executive, exec_post, question):
    comment_create(author=executive, target=exec_post, body="Mon propre commentaire ?")
    comment_create(author=executive, target=exec_post, body="Bientôt.", parent=question)
    response = login(executive).get(COCKPIT)
    assert response.context["waiting"] == []


def test_a_plain_comment_waits_after_the_questions(login, executive, exec_post, colleague):
    plain = comment_create(author=colleague, target=exec_post, body="Merci pour ce billet.")
    asked = comment_create(author=colleague, target=exec_post, body="Et pour nous ?")
    waiting = login(executive).get(COCKPIT).context["waiting"]
    assert [c.pk for c in waiting] == [asked.pk, plain.pk]


def test_answering_inline_publishes_a_reply_and_comes_back_with_it(
    login, executive, question, exec_post
):
    client = login(executive)
    response = client.post(
        reverse("leadership:answer", args=[question.pk]), {"body": "En janvier, promis."}
    )
    reply = Comment.objects.get(parent=question)
    assert reply.author == executive
    assert response.status_code == 302
    assert response["Location"] == f"{COCKPIT}#{reply.anchor}"
    # The service's own participation event, as for any reply.
    assert ParticipationEvent.objects.filter(actor=executive, object_id=reply.pk).exists()
    page = client.get(COCKPIT)
    assert page.context["waiting"] == []
    assert "En janvier, promis." in page.content.decode()
    assert f'id="{reply.anchor}"' in page.content.decode()


def test_a_refused_answer_keeps_the_text_and_says_why(login, executive, question):
    too_long = "x" * (COMMENT_MAX_LENGTH + 1)
    response = login(executive).post(
        reverse("leadership:answer", args=[question.pk]), {"body": too_long}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="answer-error"' in html
    assert "too long" in html
    assert too_long in html
    assert not Comment.objects.filter(parent=question).exists()


def test_an_empty_answer_is_refused_with_a_message(login, executive, question):
    response = login(executive).post(
        reverse("leadership:answer", args=[question.pk]), {"body": "   "}
    )
    assert response.status_code == 400
    assert "Your comment is empty" in response.content.decode()
    assert not Comment.objects.filter(parent=question).exists()


def test_the_executive_navigation_has_the_cockpit_link(login, executive, employee):
    assert f'href="{COCKPIT}"' in login(executive).get("/blogs/").content.decode()
    assert f'href="{COCKPIT}"' not in login(employee).get("/blogs/").content.decode()


def test_the_cockpit_speaks_french(login, executive, question):
    executive.preferred_language = "fr"
    executive.save(update_fields=["preferred_language"])
    html = login(executive).get(COCKPIT).content.decode()
    assert "Mon cockpit" in html
    assert "En attente de votre réponse" in html


# --- Delegates: read-only ------------------------------------------------------------------------
def test_a_delegate_reaches_the_executives_cockpit_read_only(login, executive, delegate, question):
    client = login(delegate)
    response = client.get(COCKPIT)
    target = reverse("leadership:cockpit_for", args=[executive.username])
    assert response.status_code == 302
    assert response["Location"] == target
    page = client.get(target)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="read-only"' in html
    assert "Quand aurons-nous le calendrier ?" in html
    assert reverse("leadership:answer", args=[question.pk]) not in html  # no reply box
    assert page.context["report"] is None  # none of the executive's own figures
    assert 'data-testid="report-leader' not in html


def test_a_delegate_cannot_answer_as_the_executive(login, executive, delegate, question):
    response = login(delegate).post(
        reverse("leadership:answer", args=[question.pk]), {"body": "Je réponds pour elle."}
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(parent=question).exists()


# --- Everyone else ------------------------------------------------------------------------------
def test_an_employee_who_is_neither_finds_no_cockpit(login, executive, employee, question):
    client = login(employee)
    assert client.get(COCKPIT).status_code == 404
    assert (
        client.get(reverse("leadership:cockpit_for", args=[executive.username])).status_code == 404
    )
    response = client.post(reverse("leadership:answer", args=[question.pk]), {"body": "Moi ?"})
    assert response.status_code == 403
    assert not Comment.objects.filter(parent=question).exists()


def test_no_cockpit_for_someone_who_is_not_an_executive(login, employee, colleague):
    url = reverse("leadership:cockpit_for", args=[colleague.username])
    assert login(employee).get(url).status_code == 404


def test_an_executive_cannot_answer_from_the_cockpit_on_someone_elses_post(
    login, colleague_post, employee
):
    from tests.factories import ExecutiveFactory

    other = ExecutiveFactory(username="other.exec")
    asked = comment_create(author=employee, target=colleague_post, body="Une question ?")
    response = login(other).post(reverse("leadership:answer", args=[asked.pk]), {"body": "Oui."})
    assert response.status_code == 403
    assert not Comment.objects.filter(parent=asked).exists()


# --- Drafts ready for review ----------------------------------------------------------------------
def test_a_delegate_marks_a_draft_ready_and_the_executive_is_told(
    login, executive, delegate, django_capture_on_commit_callbacks
):
    draft = _draft(delegate, executive)
    client = login(delegate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leadership:draft_ready", args=[draft.pk]))
    assert response.status_code == 302
    review = ReviewRequest.objects.get(post=draft)
    assert review.marked_by == delegate
    note = Notification.objects.get(recipient=executive, kind="draft_ready")
    assert note.url == f"{COCKPIT}#draft-{draft.pk}"
    assert "Vœux de la direction" in note.summary
    # Handing a draft over is not participation: no event (blogs.services.draft_mark_ready).
    assert not ParticipationEvent.objects.filter(actor=delegate).exclude(verb=Verb.VIEWED).exists()
    html = login(executive).get(COCKPIT).content.decode()
    assert f'id="draft-{draft.pk}"' in html
    assert 'data-testid="draft-ready"' in html


def test_marking_twice_tells_the_executive_once(login, executive, delegate):
    draft = _draft(delegate, executive)
    services.draft_mark_ready(actor=delegate, post=draft)
    services.draft_mark_ready(actor=delegate, post=draft)
    assert ReviewRequest.objects.count() == 1
    assert Notification.objects.filter(kind="draft_ready").count() == 1


def test_another_delegate_cannot_mark_a_draft_they_did_not_prepare(login, executive, delegate):
    other = UserFactory(username="ines.delegate")
    services.delegation_grant(actor=executive, executive=executive, delegate=other)
    draft = _draft(delegate, executive)
    response = login(other).post(reverse("leadership:draft_ready", args=[draft.pk]))
    assert response.status_code == 403
    assert not ReviewRequest.objects.exists()


def test_an_employee_cannot_mark_someone_elses_draft(login, executive, delegate, employee):
    draft = _draft(delegate, executive)
    response = login(employee).post(reverse("leadership:draft_ready", args=[draft.pk]))
    assert response.status_code == 404
    assert not ReviewRequest.objects.exists()


def test_a_published_post_has_nothing_to_review(login, executive, delegate):
    draft = _draft(delegate, executive)
    services.post_publish(actor=executive, post=draft)
    response = login(delegate).post(reverse("leadership:draft_ready", args=[draft.pk]))
    assert response.status_code == 302
    assert not ReviewRequest.objects.exists()
    assert not Notification.objects.filter(kind="draft_ready").exists()


def test_a_former_delegate_can_no_longer_mark_their_draft(executive, delegate):
    from django.core.exceptions import PermissionDenied

    draft = _draft(delegate, executive)
    services.delegation_revoke(actor=executive, executive=executive, delegate=delegate)
    delegate = type(delegate).objects.get(pk=delegate.pk)  # no cached delegations
    with pytest.raises(PermissionDenied):
        services.draft_mark_ready(actor=delegate, post=draft)


def test_a_published_draft_leaves_the_list(login, executive, delegate):
    draft = _draft(delegate, executive)
    services.draft_mark_ready(actor=delegate, post=draft)
    services.post_publish(actor=executive, post=draft)
    assert login(executive).get(COCKPIT).context["drafts"] == []


# --- Figures: reach, voice, departments, the small-group rule -----------------------------------
def _read_and_answer(post, department, readers: int, answerers: int) -> list:
    people = [UserFactory(department=department) for _ in range(readers)]
    joined_long_ago(*people)
    for person in people:
        view_record(actor=person, obj=post, target_user=post.author)
    for person in people[:answerers]:
        comment_create(author=person, target=post, body="Merci ?")
    return people


def test_departments_that_read_and_answered_hide_groups_under_five(login, executive, exec_post):
    large = DepartmentFactory(name="Logistique")
    small = DepartmentFactory(name="Juridique")
    _read_and_answer(exec_post, large, readers=6, answerers=5)
    _read_and_answer(exec_post, small, readers=2, answerers=1)
    joined_long_ago(executive)
    today = timezone.localdate()
    metrics_refresh(since=today - timedelta(days=1), until=today)
    response = login(executive).get(COCKPIT)
    table = response.context["report"].table("departments_reached")
    names = [row[0] for row in table.rows]
    assert "Logistique" in names
    assert "Juridique" not in names  # 2 people: only inside a larger group
    logistique = next(row for row in table.rows if row[0] == "Logistique")
    assert logistique[1:] == [6, 6, 5]
    html = response.content.decode()
    assert 'data-testid="table-departments_reached"' in html
    assert 'data-testid="facts"' in html  # the voice figures
    assert "Juridique" not in html.split('data-testid="table-departments_reached"')[1]


def test_an_administrator_sees_small_departments_on_the_leader_dashboard(
    client, executive, exec_post
):
    from metrics.reports import leader_report
    from tests.factories import AdminFactory

    small = DepartmentFactory(name="Juridique")
    _read_and_answer(exec_post, small, readers=2, answerers=1)
    today = timezone.localdate()
    metrics_refresh(since=today - timedelta(days=1), until=today)
    table = leader_report(executive, AdminFactory()).table("departments_reached")
    assert ["Juridique", 2, 2, 1] in table.rows


# --- Query budget ---------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [2, 20])
def test_the_cockpit_runs_a_bounded_number_of_queries(
    login, executive, delegate, django_assert_max_num_queries, n
):
    department = DepartmentFactory(name="Ventes")
    people = [UserFactory(department=department) for _ in range(max(n, 5))]
    for k in range(n):
        post = services.post_create(
            actor=executive, title=f"Billet {k}", body="Texte.", publish=True
        )
        for person in people[:5]:
            view_record(actor=person, obj=post, target_user=executive)
        asked = comment_create(author=people[k % len(people)], target=post, body=f"Question {k} ?")
        if k % 2:
            comment_create(author=executive, target=post, body="Réponse.", parent=asked)
        draft = _draft(delegate, executive, title=f"Brouillon {k}")
        if k % 2:
            services.draft_mark_ready(actor=delegate, post=draft)
    today = timezone.localdate()
    metrics_refresh(since=today - timedelta(days=1), until=today)
    client = login(executive)
    client.get(COCKPIT)  # warm the per-process caches (site root, content types)
    with django_assert_max_num_queries(MAX_COCKPIT):
        response = client.get(COCKPIT)
    assert response.status_code == 200
    assert len(response.context["waiting"]) == min(n - n // 2, 20)
    delegate_client = login(delegate)
    url = reverse("leadership:cockpit_for", args=[executive.username])
    delegate_client.get(url)
    with django_assert_max_num_queries(MAX_COCKPIT):
        assert delegate_client.get(url).status_code == 200


# --- The demo ----------------------------------------------------------------------------------
def test_the_demo_leaves_a_waiting_question_and_a_draft_ready_in_the_cockpit(login):
    from blogs import demo
    from tests.factories import ExecutiveFactory

    julien = ExecutiveFactory(username="julien.moreau", department=DepartmentFactory(name="Mkt"))
    sophie = UserFactory(username="sophie.laurent", department=julien.department)
    asker = UserFactory(username="lea.roux", department=DepartmentFactory(name="Usine"))
    services.post_create(actor=julien, title="Notre feuille de route", body="Texte.", publish=True)
    demo.setup([julien, sophie, asker])
    evening = timezone.now() - timedelta(hours=2)
    demo.cockpit([julien, sophie, asker], at=evening, may_write=lambda person: True)
    context = login(julien).get(COCKPIT).context
    assert [c.author for c in context["waiting"]] == [asker]
    assert context["waiting"][0].body == demo.COCKPIT_QUESTION
    (draft,) = context["drafts"]
    assert draft.title == demo.READY_DRAFT_TITLE and draft.review.marked_by == sophie
    assert Notification.objects.filter(recipient=julien, kind="draft_ready").exists()
