"""Agreeing a full edition value by value in real Chromium: the lead reviewer agrees all 51
criteria of the 2026 standards with the keyboard alone in at most twelve page loads, and neither
the grid nor a value's page scrolls sideways at 1280 pixels."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.cycles.services import open_cycle
from reviews.models import AgreedRating, CycleState, Perspective, SelfRating, TeamRole
from reviews.peer.services import (
    PeerAnswer,
    add_team_member,
    plan_visit,
    save_peer_ratings,
    start_peer_review,
    submit_peer_ratings,
)
from standards.files import read_standards_file
from standards.models import RatingLevel
from standards.services import load_standards
from tests.e2e.conftest import axe_violations
from tests.e2e.test_self_assessment import choose, press_on, tab_to
from tests.support.reviews import criterion
from tests.support.standards import STANDARDS_2026

pytestmark = pytest.mark.browser

RATIONALE = "Members and reviewers saw it every day; the staff were modest about it."
SAVE_AND_NEXT = 'button[name="save_and_next"]'
FINISH = 'button[name="finish"]'
MESSAGE = ".notice--success[role=status]"


@pytest.fixture
def cycle(personas):
    """Kestrel Wing's review on the 2026 standards (ten values, 51 criteria) with its three
    reviewers' ratings submitted: Met throughout, except BOU.1 (Met, Partly met, Partly met: no
    choice is made for the lead). The staff rated BEL.2 Partly met, so agreeing the reviewers'
    Met there needs a rationale."""
    [outcome] = load_standards([read_standards_file(STANDARDS_2026)])
    edition = outcome.edition
    levels = {lv.label: lv for lv in RatingLevel.objects.filter(edition=edition)}
    cycle = open_cycle(service=personas.home, edition=edition, opened_by=personas.admin)
    SelfRating.objects.create(cycle=cycle, criterion=criterion(cycle, "BEL.2"), perspective=Perspective.STAFF,
                              level=levels["Partly met"], narrative="Mostly.", version=1, updated_by=personas.lead)
    cycle.state, cycle.submitted_at, cycle.submitted_by = CycleState.SELF_ASSESSMENT_SUBMITTED, timezone.now(), personas.lead
    cycle.save(update_fields=["state", "submitted_at", "submitted_by"])
    plan_visit(cycle, date=timezone.localdate(), notes="", planned_by=personas.admin)
    people = [(personas.reviewer, TeamRole.PEER_REVIEWER, "Met"),
              (personas.lived_experience_reviewer, TeamRole.LIVED_EXPERIENCE_REVIEWER, "Partly met"),
              (personas.lead_reviewer, TeamRole.LEAD_REVIEWER, "Partly met")]
    places = [(add_team_member(cycle, user=user, place=place, added_by=personas.admin), bou1)
              for user, place, bou1 in people]
    start_peer_review(cycle, started_by=personas.admin)
    for place, bou1 in places:
        save_peer_ratings(place, [
            PeerAnswer(c.pk, level_id=levels[bou1 if c.code == "BOU.1" else "Met"].pk, comment=f"Seen on {c.code}.")
            for c in edition.criteria.all()
        ])
        submit_peer_ratings(place)
    cycle.refresh_from_db()
    assert edition.criteria.count() == 51 and edition.values.count() == 10
    return cycle


def no_sideways_scroll(page, width):
    """Neither the page nor any table inside it is wider than the window."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    wrappers = page.eval_on_selector_all(".table-wrap", "els => els.map(e => [e.scrollWidth, e.clientWidth])")
    assert all(scroll <= client for scroll, client in wrappers), wrappers


def test_lead_agrees_every_criterion_by_keyboard_in_twelve_page_loads(sign_in, page, live_server, personas, cycle,
                                                                      console_errors):
    base = f"{live_server.url}/cycles/{cycle.pk}"
    values = list(cycle.edition.values.order_by("order"))
    bel2, bou1 = criterion(cycle, "BEL.2"), criterion(cycle, "BOU.1")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(personas.lead_reviewer)
    loads = []
    page.on("load", lambda: loads.append(page.url))

    page.goto(f"{base}/agree/")
    expect(page.locator(".panel").first).to_contain_text("0 of 51 criteria have an agreed rating.")
    no_sideways_scroll(page, 1280)
    agreed_header = page.locator("table.grid thead th", has_text="Agreed")
    assert agreed_header.bounding_box()["x"] + agreed_header.bounding_box()["width"] <= 1280

    press_on(page, f'a[href$="/agree/value/{values[0].code}/"]', url=f"{base}/agree/value/{values[0].code}/")
    for index, value in enumerate(values):
        expect(page.locator("h1")).to_contain_text(value.name)
        no_sideways_scroll(page, 1280)
        if value.code == "BEL":
            # Every reviewer said Met: it is chosen already; the staff said Partly met, so say why.
            expect(page.locator(f"#id_c{bel2.pk}_level_0")).to_be_checked()
            tab_to(page, f"#id_c{bel2.pk}_rationale")
            page.keyboard.type(RATIONALE)
        if value.code == "BOU":
            expect(page.locator(f'input[name="c{bou1.pk}_level"]:checked')).to_have_count(0)
            choose(page, f"c{bou1.pk}_level", moves=1)  # Met, then down to Partly met: the reviewers' median
            expect(page.locator(f"#id_c{bou1.pk}_level_1")).to_be_checked()
        if index + 1 < len(values):
            press_on(page, SAVE_AND_NEXT, url=f"{base}/agree/value/{values[index + 1].code}/")
        else:
            press_on(page, FINISH, url=re.compile(rf"{re.escape(base)}/$"))

    expect(page.locator(MESSAGE).last).to_contain_text("The ratings are agreed")
    expect(page.locator(MESSAGE).first).to_contain_text("agreed ratings of Openness saved.")
    assert len(loads) == 12, loads  # the grid, the ten values, and finishing: the "at most twelve"

    cycle.refresh_from_db()
    assert cycle.state == CycleState.RATINGS_AGREED
    stored = {a.criterion.code: (a.level.label, a.rationale) for a in AgreedRating.objects.select_related("criterion", "level")}
    assert len(stored) == 51
    assert stored["BEL.2"] == ("Met", RATIONALE)
    assert stored["BOU.1"] == ("Partly met", "")
    assert {label for code, (label, _r) in stored.items() if code != "BOU.1"} == {"Met"}
    assert console_errors == []


def test_grid_and_value_page_are_accessible_and_reflow_at_320_pixels(sign_in, page, live_server, personas, cycle):
    sign_in(personas.lead_reviewer)
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/agree/")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 256})  # 1280 × 1024 at 400 %

    page.goto(f"{live_server.url}/cycles/{cycle.pk}/agree/value/BEL/")

    expect(page.locator("h1")).to_contain_text("Belonging")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
    # Tiles: the whole tile is the target, at least 44 pixels high.
    tile = page.locator(".tile label").first
    assert tile.bounding_box()["height"] >= 44
