import pytest
from tests.e2e.conftest import log_in
from tests.e2e.test_composer import _write
pytestmark = pytest.mark.e2e

def test_debug(new_page, employee, password):
    page = new_page()
    logs = []
    page.on("console", lambda m: logs.append(m.text))
    page.on("pageerror", lambda e: logs.append(str(e)))
    log_in(page, employee.username, password)
    page.goto("/")
    page.wait_for_timeout(1000)
    print("EDITOR", page.get_by_test_id("composer-editor").count())
    _write(page)
    print("TEXTAREA", page.evaluate("document.querySelector('[data-composer-body]').value"))
    page.get_by_test_id("composer-publish").click()
    page.wait_for_timeout(2000)
    print("URL", page.url)
    print("STATUS", page.locator("[data-composer-status]").inner_text())
    print("LOGS", logs)
