"""It is an intranet: nothing is readable anonymously but the login page, static files and
/healthz."""

import pytest
from django.urls import reverse

PRIVATE_URLS = [
    "/",
    "/people/",
    "/people/claire.employee/",
    "/people/claire.employee/edit/",
    "/people/departments/department-0/",
    "/admin/",
    "/django-admin/",
    "/accounts/password/",
    "/media/people/photos/secret.jpg",
    "/documents/1/report.pdf",
    "/some/page/that/may/not/exist/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, employee, url):
    response = client.get(url, follow=True)
    assert response.redirect_chain, "an anonymous request must be redirected"
    assert response.request["PATH_INFO"] == reverse("login")
    assert response.status_code == 200


@pytest.mark.django_db
def test_uploaded_files_are_served_to_employees_only(client, employee, settings):
    photos = settings.MEDIA_ROOT / "people" / "photos"
    photos.mkdir(parents=True)
    (photos / "claire.jpg").write_bytes(b"\xff\xd8\xff fake jpeg")
    # A file is served for what it belongs to (core.media): here, Claire's profile photo.
    type(employee).objects.filter(pk=employee.pk).update(photo="people/photos/claire.jpg")
    assert client.get("/media/people/photos/claire.jpg").status_code == 302
    client.force_login(employee)
    response = client.get("/media/people/photos/claire.jpg")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=300"
    assert client.get("/media/../settings.py").status_code == 404


@pytest.mark.django_db
def test_login_page_static_and_healthz_are_public(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get("/static/core/ruche.css").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)


@pytest.mark.django_db
def test_wrong_password_gives_a_clear_message_and_keeps_the_username(client, employee):
    response = client.post(
        reverse("login"),
        {"username": employee.username, "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Your username or password is not right" in content
    assert f'value="{employee.username}"' in content


@pytest.mark.django_db
def test_login_then_logout(client, employee, password):
    response = client.post(reverse("login"), {"username": employee.username, "password": password})
    assert response.status_code == 302
    assert client.get("/people/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/people/").status_code == 302


@pytest.mark.django_db
def test_password_change_requires_the_old_password(client, employee, password):
    client.force_login(employee)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "Une-ruche-2026!",
            "new_password2": "Une-ruche-2026!",
        },
    )
    assert response.status_code == 200
    employee.refresh_from_db()
    assert employee.check_password(password)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "Une-ruche-2026!",
            "new_password2": "Une-ruche-2026!",
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.check_password("Une-ruche-2026!")


@pytest.mark.django_db
def test_demo_log_ins_are_shown_in_demo_mode_only(client, settings):
    settings.DEMO_MODE = True
    assert "camille.martin" in client.get(reverse("login")).content.decode()
    settings.DEMO_MODE = False
    assert "camille.martin" not in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/admin/reports/page-types-usage/", "/admin/reports/page-types-usage/results/"]
)
def test_the_page_types_report_exists_for_administrators_only(client, employee, administrator, url):
    # It names the last edited page of each type: possibly a colleague's unpublished draft.
    client.force_login(employee)
    assert client.get(url).status_code == 404
    client.force_login(administrator)
    assert client.get(url).status_code == 200
