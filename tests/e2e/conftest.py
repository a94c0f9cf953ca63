import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


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
