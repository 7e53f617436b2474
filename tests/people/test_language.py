import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_switching_language_is_remembered_on_the_profile(employee_client, employee):
    response = employee_client.post(
        reverse("people:set_language"), {"language": "fr", "next": "/people/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    employee.refresh_from_db()
    assert employee.preferred_language == "fr"
    page = employee_client.get("/people/")
    assert page["Content-Language"] == "fr"
    assert "Personnes" in page.content.decode()


@pytest.mark.django_db
def test_the_preferred_language_wins_over_the_browser(client, employee):
    employee.preferred_language = "fr"
    employee.save()
    client.force_login(employee)
    page = client.get("/people/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "fr"
    employee.preferred_language = "en"
    employee.save()
    page = client.get("/people/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page["Content-Language"] == "en"
    assert "People" in page.content.decode()


@pytest.mark.django_db
def test_unknown_language_and_foreign_redirects_are_refused(employee_client, employee):
    response = employee_client.post(reverse("people:set_language"), {"language": "xx"})
    assert response.status_code == 400
    response = employee_client.post(
        reverse("people:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_language_switch_needs_post(employee_client):
    assert employee_client.get(reverse("people:set_language")).status_code == 405
