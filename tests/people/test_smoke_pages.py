import pytest


@pytest.mark.django_db
def test_profile_and_directory_render(employee_client, employee, colleague):
    assert employee_client.get("/").status_code == 200
    assert employee_client.get(f"/people/{colleague.username}/").status_code == 200
    response = employee_client.get("/people/?q=Petit")
    assert colleague.name in response.content.decode()
