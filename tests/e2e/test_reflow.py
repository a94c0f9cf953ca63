"""At 320 CSS pixels wide (1280 px at 400 % zoom, WCAG 1.4.10) the pages a commissioner, an
administrator and a lead reviewer use most never scroll sideways: a wide table scrolls inside its
own labelled region that the keyboard can reach, or its rows become cards."""

import os

import pytest
from playwright.sync_api import expect

from assurance.models import RoleKind
from reviews.models import CycleState
from tests.e2e.conftest import axe_violations
from tests.e2e.test_reports import edition, final, media, open_elsewhere  # noqa: F401 (fixtures)
from tests.factories import CycleFactory, RoleFactory, ServiceFactory
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def look(page, name):
    """Saves a screenshot when REFLOW_SCREENSHOTS names a folder, to look at the page."""
    folder = os.environ.get("REFLOW_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def too_wide(page, base, paths, prefix):
    page.set_viewport_size(NARROW)
    wide = {}
    for path in paths:
        page.goto(base + path)
        look(page, prefix + path.strip("/").replace("/", "_"))
        if (width := page_width(page)) > NARROW["width"]:
            wide[path] = width
    return wide


@pytest.fixture
def several_services(personas, edition, final, open_elsewhere):  # noqa: F811
    """The commissioner commissions four services: two with reviews, two long-named without."""
    for name in ("Riverside Community Therapeutic Community for Adults", "Larchfield Residential Unit"):
        service = ServiceFactory(name=name)
        RoleFactory(user=personas.commissioner, kind=RoleKind.COMMISSIONER, service=service)
        CycleFactory(service=service, edition=edition, opened_by=personas.admin)
    return final


def test_the_portfolio_reflows_at_320_pixels(sign_in, page, live_server, personas, several_services):
    sign_in(personas.commissioner)
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/portfolio/")
    expect(page.locator("table.portfolio tbody tr")).to_have_count(4)
    look(page, "portfolio")
    assert page_width(page) <= NARROW["width"]
    # Every service's row is there to read, its name and its status, without scrolling sideways.
    kestrel = page.locator("table.portfolio tbody tr", has_text="Kestrel Wing")
    box = kestrel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    expect(kestrel).to_contain_text("Awarded")
    # Each line says which column it is, and the row keeps its table semantics.
    assert "Overdue actions: 0" in kestrel.aria_snapshot() and "rowheader" in kestrel.aria_snapshot()
    assert axe_violations(page) == []


def test_the_commissioners_and_administrators_pages_reflow(sign_in, page, live_server, personas, several_services):
    base = live_server.url
    sign_in(personas.commissioner)
    assert too_wide(page, base, ["/", f"/cycles/{several_services.pk}/report/"], "commissioner-") == {}
    page.context.clear_cookies()
    sign_in(personas.admin)
    paths = ["/", several_services.get_absolute_url(), f"/cycles/{several_services.pk}/report/", "/portfolio/"]
    assert too_wide(page, base, paths, "admin-") == {}


def test_the_agreement_grid_reflows(sign_in, page, live_server, personas, edition):  # noqa: F811
    review = PeerReview(personas, edition=edition)
    review.to(CycleState.VISIT).everyone_rates()
    review.agree("V1.1", "Met")
    sign_in(personas.lead_reviewer)
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server.url}/cycles/{review.cycle.pk}/agree/")
    look(page, "agreement")
    assert page_width(page) <= NARROW["width"]
    # A table wider than the screen scrolls inside its own region, which the keyboard reaches.
    for region in page.locator(".table-wrap").all():
        if region.evaluate("e => e.scrollWidth > e.clientWidth"):
            assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
            assert region.get_attribute("aria-label") or region.get_attribute("aria-labelledby")
