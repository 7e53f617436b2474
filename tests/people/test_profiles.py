import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from activity.models import ParticipationEvent
from people import services
from tests.factories import DepartmentFactory, UserFactory


@pytest.mark.django_db
def test_employee_edits_their_own_profile(employee_client, employee):
    response = employee_client.post(
        reverse("people:profile_edit", args=[employee.username]),
        {
            "display_name": "Claire D.",
            "job_title": "Cheffe de projet",
            "bio": "Je relie les équipes.",
            "preferred_language": "fr",
            "narrative_why": "Parce que.",
            "narrative_goal": "Un intranet vivant.",
            "narrative_help": "Écrivez-moi.",
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.job_title == "Cheffe de projet"
    assert employee.narrative_goal == "Un intranet vivant."
    page = employee_client.get(reverse("people:profile", args=[employee.username]))
    assert "Un intranet vivant." in page.content.decode()
    assert ParticipationEvent.objects.filter(actor=employee, verb="updated_profile").count() == 1


@pytest.mark.django_db
def test_nobody_edits_someone_elses_profile(employee_client, colleague):
    url = reverse("people:profile_edit", args=[colleague.username])
    assert employee_client.get(url).status_code == 404
    response = employee_client.post(url, {"job_title": "Pirate", "preferred_language": "en"})
    assert response.status_code == 404
    colleague.refresh_from_db()
    assert colleague.job_title != "Pirate"
    # No edit button on a colleague's profile either.
    page = employee_client.get(reverse("people:profile", args=[colleague.username]))
    assert url not in page.content.decode()


@pytest.mark.django_db
def test_the_service_refuses_too(employee, colleague):
    with pytest.raises(PermissionDenied):
        services.profile_update(editor=employee, profile=colleague, data={"job_title": "Pirate"})
    assert not ParticipationEvent.objects.exists()


@pytest.mark.django_db
def test_administrator_edits_anyone_and_moves_departments(client, administrator, employee):
    sales = DepartmentFactory(name="Ventes", slug="ventes")
    client.force_login(administrator)
    response = client.post(
        reverse("people:profile_edit", args=[employee.username]),
        {"job_title": "Commerciale", "preferred_language": "fr", "department": sales.pk},
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert (employee.job_title, employee.department) == ("Commerciale", sales)


@pytest.mark.django_db
def test_employees_cannot_move_themselves_between_departments(employee_client, employee):
    sales = DepartmentFactory(name="Ventes", slug="ventes")
    before = employee.department
    employee_client.post(
        reverse("people:profile_edit", args=[employee.username]),
        {"job_title": "x", "preferred_language": "fr", "department": sales.pk},
    )
    employee.refresh_from_db()
    assert employee.department == before


@pytest.mark.django_db
def test_invalid_profile_comes_back_with_messages_and_the_input_kept(employee_client, employee):
    response = employee_client.post(
        reverse("people:profile_edit", args=[employee.username]),
        {
            "job_title": "Nouveau titre",
            "bio": "x" * 400,  # over the 280 characters of a short bio
            "preferred_language": "klingon",
            "narrative_why": "Mon texte soigneusement écrit",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The profile was not saved" in content
    assert "Mon texte soigneusement écrit" in content
    assert "Nouveau titre" in content
    assert "Ensure this value has at most 280 characters" in content or "280" in content
    employee.refresh_from_db()
    assert employee.job_title == "Analyste"
    assert not ParticipationEvent.objects.exists()


@pytest.mark.django_db
def test_directory_searches_name_title_and_department(employee_client):
    finance = DepartmentFactory(name="Finance", slug="finance")
    UserFactory(username="a.dupont", last_name="Dupont", job_title="Comptable", department=finance)
    UserFactory(username="b.leroy", last_name="Leroy", job_title="Développeuse")
    UserFactory(username="c.gone", last_name="Dupont", is_active=False)

    def found(query):
        response = employee_client.get(reverse("people:directory"), {"q": query})
        return {p.username for p in response.context["page"]}

    assert found("Dupont") == {"a.dupont"}  # deactivated accounts are not listed
    assert found("comptable") == {"a.dupont"}
    assert found("finance") == {"a.dupont"}
    assert found("Développeuse") == {"b.leroy"}


@pytest.mark.django_db
def test_department_page_lists_its_people_in_bounded_queries(
    employee_client, django_assert_max_num_queries
):
    department = DepartmentFactory(name="Opérations", slug="operations")
    UserFactory.create_batch(25, department=department)
    with django_assert_max_num_queries(10):
        response = employee_client.get(reverse("people:department", args=["operations"]))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 25


@pytest.mark.django_db
def test_deactivated_profiles_are_not_found(employee_client):
    gone = UserFactory(username="gone", is_active=False)
    assert employee_client.get(reverse("people:profile", args=[gone.username])).status_code == 404
