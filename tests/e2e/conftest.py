import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# Wait for the outcome, not for a clock: a page that renders a PDF takes a second on an idle
# machine and many on a loaded one. Expectations and navigations give up only after a minute.
OUTCOME_TIMEOUT_MS = 60_000
expect.set_options(timeout=OUTCOME_TIMEOUT_MS)


@pytest.fixture(autouse=True)
def _patient_page(page):
    page.set_default_timeout(OUTCOME_TIMEOUT_MS)
    page.set_default_navigation_timeout(OUTCOME_TIMEOUT_MS)
    return page


@pytest.fixture
def sign_in(page, live_server):
    """sign_in(user) signs that person in through the real sign-in form."""

    def _sign_in(user):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return _sign_in


@pytest.fixture
def console_errors(page):
    """Errors the page logs (including Content Security Policy violations)."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
}


def axe_violations(page):
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
