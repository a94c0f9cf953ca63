"""The base layout in real Chromium: keyboard, focus, accessibility, zoom, and no JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from reviews.models import Cycle
from tests.e2e.conftest import axe_violations
from tests.factories import PASSWORD, build_edition

pytestmark = pytest.mark.browser


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, id: e.id, text: e.innerText || e.value || ''}; }"
    )


def test_sign_in_works_with_the_keyboard_alone(page, live_server, personas):
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/sign-in/")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_username"
    page.keyboard.type(personas.lead.username)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert personas.lead.get_full_name() in page.locator("h1").inner_text()


def test_skip_link_moves_focus_to_the_main_content(page, live_server, personas):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"


def test_a_wrong_password_shows_the_error_summary_with_focus_and_keeps_the_username(page, live_server, personas):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.fill("#id_username", personas.lead.username)
    page.fill("#id_password", "not the password")
    page.click("button[type=submit]")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error:"))
    assert page.input_value("#id_username") == personas.lead.username


def test_focus_is_clearly_visible_on_links_and_buttons(page, live_server, personas):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.focus("button[type=submit]")
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.backgroundColor, s.boxShadow]; }")
    assert style[0] == "rgb(255, 221, 0)"
    assert style[1] != "none"


PAGES = [
    "/",
    "/services/",
    "/services/kestrel-wing/",
    "/standards/",
    "/standards/test-standards/{version}/",
    "/standards/test-standards/compare/?old={old}&new={version}",
    "/standards/load/",
    "/audit/",
]


@pytest.fixture
def network_pages(personas):
    old = build_edition(values=3, criteria_per_value=3)
    edition = build_edition(values=3, criteria_per_value=4)
    Cycle.objects.create(service=personas.home, edition=edition)
    return [path.format(version=edition.version, old=old.version) for path in PAGES]


def test_pages_have_no_accessibility_violations(sign_in, personas, network_pages, live_server, console_errors):
    page = sign_in(personas.admin)
    problems = {}
    for path in network_pages:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        found = axe_violations(page)
        if found:
            problems[path] = found
    assert problems == {}
    assert console_errors == []


def test_pages_reflow_at_400_percent_zoom(sign_in, personas, network_pages, live_server, page):
    sign_in(personas.admin)
    page.set_viewport_size({"width": 320, "height": 256})  # 1280 × 1024 at 400 %
    too_wide = {}
    for path in network_pages:
        page.goto(live_server.url + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    assert too_wide == {}


def test_signing_in_and_browsing_work_without_javascript(browser, live_server, personas):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.fill("#id_username", personas.commissioner.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "Services you commission" in page.content()
    page.click("text=Sign out")
    page.wait_for_url(f"{live_server.url}/accounts/sign-in/")
    context.close()
