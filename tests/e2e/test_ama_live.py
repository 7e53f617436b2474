"""Three people, three browsers on one ask-me-anything session: an anonymous question appears
live for the host and a colleague (never with the asker's name), the colleague's upvote and
the host's answer appear live on the others' pages, without reload."""

import pytest
from playwright.sync_api import expect

from ama.models import Question
from tests.ama.conftest import open_session
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_ask_upvote_answer_live(new_page, executive, employee, colleague, password):
    session = open_session(executive, title="Questions à la direction")
    host, asker, voter = new_page(), new_page(), new_page()
    for page, person in ((host, executive), (asker, employee), (voter, colleague)):
        log_in(page, person.username, password)
        page.goto(session.get_absolute_url())
    expect(host.get_by_text("No question waiting for an answer.")).to_be_visible()

    asker.get_by_label("Your question").fill("Quand saurons-nous le budget 2027 ?")
    asker.get_by_label("Ask anonymously").check()
    asker.get_by_role("button", name="Ask", exact=True).click()
    question = Question.objects.get()

    for page in (host, voter):
        row = page.locator(f"#question-{question.pk}")
        expect(row).to_contain_text("Quand saurons-nous le budget 2027 ?")
        expect(row).to_contain_text("Anonymous colleague")
        expect(row).not_to_contain_text(employee.name)

    voter.locator(f"#question-{question.pk}").get_by_role("button", name="Upvote").click()
    expect(host.locator(f"#question-{question.pk}")).to_contain_text("1 vote")
    expect(asker.locator(f"#question-{question.pk}")).to_contain_text("1 vote")

    row = host.locator(f"#question-{question.pk}")
    row.get_by_label("Your answer").fill("En janvier, après le conseil.")
    row.get_by_role("button", name="Answer").click()
    answered = asker.locator("[data-ama-answered]")
    expect(answered).to_contain_text("En janvier, après le conseil.")
    expect(voter.locator("[data-ama-answered]")).to_contain_text("Quand saurons-nous")
