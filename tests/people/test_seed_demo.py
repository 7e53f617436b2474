import pytest
from django.core.management import call_command

from people.demo import DEMO_LOGINS, EMPLOYEE_COUNT
from people.models import Department, User


@pytest.mark.django_db
def test_people_seed_is_realistic_and_idempotent(settings):
    import io
    import random

    from people import demo

    settings.DEMO_MODE = True
    demo.seed(rng=random.Random("ruche-demo:people.demo"), stdout=io.StringIO())
    first = sorted(User.objects.values_list("username", "department__slug", "manager__username"))
    demo.seed(rng=random.Random("ruche-demo:people.demo"), stdout=io.StringIO())
    second = sorted(User.objects.values_list("username", "department__slug", "manager__username"))
    assert first == second
    assert User.objects.count() == EMPLOYEE_COUNT
    assert Department.objects.count() == 8
    assert Department.objects.filter(head__isnull=True).count() == 0
    assert User.objects.filter(is_executive=True).count() == 6
    assert User.objects.filter(manager__isnull=True).count() == 1  # only the CEO
    assert User.objects.filter(preferred_language="en").exists()
    assert User.objects.exclude(narrative_why="").count() > EMPLOYEE_COUNT // 3
    for login in DEMO_LOGINS:
        assert User.objects.get(username=login.username).check_password(demo.DEMO_PASSWORD)
    # Job titles agree with the person: "Directrice" for a woman, "Développeur" for a man.
    titles = [t for _s, _n, head, team in demo.DEPARTMENTS for t in [head, *team]]
    for user in User.objects.exclude(username="admin"):
        forms = [t for t in titles if user.job_title in t]
        assert forms, user.job_title
        assert user.job_title == demo.gendered(forms[0], user.first_name), user.username


@pytest.mark.django_db
def test_seed_demo_command_refuses_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_an_existing_organisation_alone(settings, employee, capsys):
    from activity.models import ParticipationEvent

    settings.DEMO_MODE = True
    call_command("seed_demo", "--if-empty")
    assert User.objects.count() == 1
    assert not ParticipationEvent.objects.exists()
    out = capsys.readouterr().out
    assert "already present" in out and "no demo history here" in out
