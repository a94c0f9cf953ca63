"""Deciding a review in real Chromium: the lead reviewer recommends an outcome and an administrator
not on the team ratifies it, both with the keyboard alone; and every page of deciding (the
decision, the follow-up after a deferral, the appeal, the interim review, quick entry, accuracy
with its changes, agreeing by value) has one h1, passes axe, fits 1280 px and reflows at 320 px."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assurance.models import RoleKind
from reviews.decisions.services.appeals import appoint_panel, lodge_appeal
from reviews.decisions.services.follow_up import save_follow_up_answer, submit_follow_up
from reviews.decisions.services.lifecycle import request_interim_review
from reviews.decisions.services.ratify import ratify, recommend_outcome
from reviews.models import CycleState, Decision, DecisionOutcome
from reviews.reports.queries import final_reports
from tests.e2e.conftest import axe_violations
from tests.e2e.test_self_assessment import choose, press_on, tab_to
from tests.factories import RoleFactory, UserFactory
from tests.support.reviews import PeerReview, criterion

pytestmark = pytest.mark.browser

REASONS = "Every tier reaches its threshold; the night staff's reflective practice is the one condition."
RATIFY_NOTE = "Read the report and the answers on accuracy; agreed."
MESSAGE = ".notice--success[role=status]"
# Set E2E_SHOTS to a folder to keep a screenshot of each page at each width, to look at.
SHOTS = os.environ.get("E2E_SHOTS")


def later():
    """Three years from today, read when the test runs (not when the module is collected)."""
    return timezone.localdate() + datetime.timedelta(days=3 * 365)


def sign_in_as(page, sign_in, user):
    page.context.clear_cookies()
    sign_in(user)


def admin_not_involved(username):
    person = UserFactory(username=username, first_name="Pat", last_name="Panel")
    RoleFactory(user=person, kind=RoleKind.NETWORK_ADMIN, service=None)
    return person


@pytest.fixture
def draft(personas):
    """Kestrel Wing's review with its draft report sent: everything agreed Met but V1.1, Not met."""
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates().agree_everything(V1_1="Not met").finish()
    return review.to(CycleState.REPORT_DRAFT)


def test_lead_recommends_and_administrator_ratifies_by_keyboard(sign_in, page, live_server, personas, draft,
                                                                console_errors):
    address = f"{live_server.url}{draft.url('decision')}"
    sign_in(personas.lead_reviewer)
    page.goto(address)

    # The outcome tiles are one radio group: the arrow keys move through it (and round).
    outcomes = page.locator('input[name="outcome"]')
    start = [value for value in outcomes.evaluate_all("els => els.map(e => e.checked)")].index(True)
    choose(page, "outcome", moves=(1 - start) % outcomes.count())
    expect(page.locator("#id_outcome_1")).to_be_checked()  # Awarded with conditions
    expect(page.locator('label[for="id_outcome_1"]')).to_contain_text("Awarded, with actions")
    tab_to(page, "#id_reasons")
    page.keyboard.type(REASONS)
    press_on(page, 'button[name="recommend"]', url=address)
    expect(page.locator(MESSAGE)).to_contain_text("Your recommendation is recorded")
    expect(page.locator("#pending-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Awarded with conditions")
    expect(page.locator('button[name="ratify"]')).to_have_count(0)  # the lead does not ratify

    # An administrator who is not on the team ratifies it, by keyboard too.
    sign_in_as(page, sign_in, personas.admin)
    page.goto(address)
    expect(page.locator("main")).to_contain_text(REASONS)
    tab_to(page, "#id_reason")
    page.keyboard.type(RATIFY_NOTE)
    press_on(page, 'button[name="ratify"]', key="Space", url=address)
    expect(page.locator(MESSAGE)).to_contain_text("Ratified. The decision is recorded and the final report is issued.")
    decision = page.locator(".panel--decision")
    expect(decision).to_contain_text("Awarded with conditions")
    expect(decision).to_contain_text(f"Recommended by {personas.lead_reviewer}.")
    expect(page.locator('button[name="ratify"]')).to_have_count(0)

    draft.refresh()
    assert draft.cycle.state == CycleState.FINAL
    recorded = Decision.objects.get(cycle=draft.cycle)
    assert (recorded.outcome, recorded.recorded_by, recorded.recommended_by, recorded.rationale) == (
        DecisionOutcome.AWARDED_WITH_CONDITIONS, personas.admin, personas.lead_reviewer, REASONS)
    assert [report.version for report in final_reports(draft.cycle)] == [1]

    # The decision leads to the report, where final report version 1 is listed.
    press_on(page, f'a[href$="{draft.url("report")}"]', url=re.compile(re.escape(draft.url("report")) + "$"))
    expect(page.locator("main")).to_contain_text("Final report, version 1 (PDF)")
    assert console_errors == []


# --- every page of deciding: one h1, axe, 1280 px and 320 px ------------------------------------


@pytest.fixture
def problems():
    return {}


@pytest.fixture
def check(page, live_server, problems):
    """check(name, address, *texts): the page at 1280 px, then at 320 px (1280 at 400 % zoom)."""

    def _check(name, address, *texts):
        for width, height in ((1280, 900), (320, 256)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{live_server.url}{address}")
            assert page.locator("h1").count() == 1, name
            for text in texts:
                expect(page.locator("main")).to_contain_text(text)
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll > width:
                problems[f"{name} at {width} px"] = f"scrolls sideways: {scroll} px wide"
            found = axe_violations(page)
            if found:
                problems[f"{name} at {width} px"] = found
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/{name.replace(' ', '-')}-{width}.png", full_page=True)

    return _check


def test_decision_and_follow_up_pages(sign_in, page, personas, draft, check, problems, console_errors):
    review = draft
    review.comment("V1.1 is met: the night staff joined in March.", code="V1.1")
    review.answer(review.comment("The buddy scheme has run since last spring.", code="V1.2"))
    sign_in(personas.lead_reviewer)
    check("accuracy with changes", review.url("accuracy"), "Change the agreed rating to")
    for comment in review.cycle.accuracy_comments.filter(responded_at__isnull=True):
        review.answer(comment)
    check("decision to recommend", review.url("decision"), "Recommend the outcome", "Not met")

    recommendation = recommend_outcome(review.cycle, outcome=DecisionOutcome.DEFERRED, reasons="V1.1 is not met.",
                                       valid_until=None, follow_up_due=later(), recommended_by=personas.lead_reviewer)
    sign_in_as(page, sign_in, personas.admin)
    check("decision to ratify", review.url("decision"), "Ratify or return it", "V1.1 is not met.")

    ratify(recommendation, by=personas.admin)
    follow_up = review.cycle.follow_ups.get()
    sign_in_as(page, sign_in, personas.lead)
    check("follow-up to answer", review.url("follow-up"), "Save the answer for V1.1", "Send the follow-up")

    save_follow_up_answer(follow_up, criterion(review.cycle, "V1.1"), narrative="Night staff join every week now.",
                          evidence_ids=[], base_version=0, saved_by=personas.staff)
    submit_follow_up(follow_up, submitted_by=personas.lead)
    sign_in_as(page, sign_in, personas.lead_reviewer)
    check("follow-up to rate", review.url("follow-up"), "Save the new rating of V1.1", "Night staff join every week now.")

    assert problems == {}, "\n".join(f"{name}: {found}" for name, found in problems.items())
    assert console_errors == []


@pytest.fixture
def decided(personas):
    """Kestrel Wing's review, decided Not awarded by the administrator."""
    review = PeerReview(personas).to(CycleState.FINAL)
    Decision.objects.filter(cycle=review.cycle).update(outcome=DecisionOutcome.NOT_AWARDED, valid_until=None)
    return review.refresh()


def test_appeal_pages(sign_in, page, personas, decided, check, problems, console_errors):
    sign_in(personas.lead)
    check("appeal to lodge", decided.url("appeal"), "Lodge the appeal")

    appeal = lodge_appeal(decided.cycle, grounds="The team missed the evening community meeting.",
                          lodged_by=personas.lead)
    sign_in_as(page, sign_in, personas.admin)
    panellist = admin_not_involved("panellist")
    check("appeal to appoint", decided.url("appeal"), "Appoint the appeal panel", str(panellist))

    appoint_panel(appeal, members=[panellist], appointed_by=personas.admin)
    sign_in_as(page, sign_in, panellist)
    check("appeal to decide", decided.url("appeal"), "Decide the appeal", "The team missed the evening")

    assert problems == {}, "\n".join(f"{name}: {found}" for name, found in problems.items())
    assert console_errors == []


def test_interim_review_page(sign_in, personas, check, problems, console_errors):
    awarded = PeerReview(personas).to(CycleState.FINAL)
    Decision.objects.filter(cycle=awarded.cycle).update(valid_until=later())
    request_interim_review(awarded.cycle, requested_by=personas.admin)
    sign_in(personas.lead)
    check("interim review", awarded.url("interim-review"), "Your update", "Submit the update")

    assert problems == {}, "\n".join(f"{name}: {found}" for name, found in problems.items())
    assert console_errors == []


def test_quick_entry_and_agree_value_pages(sign_in, page, personas, check, problems, console_errors):
    visit = PeerReview(personas).to(CycleState.VISIT)
    sign_in(personas.reviewer)
    check("quick entry", visit.url("review-quick"), "Save my ratings")

    visit.everyone_rates()
    sign_in_as(page, sign_in, personas.lead_reviewer)
    check("agree value", visit.url("agree-value", "V1"), "Save and next value")

    assert problems == {}, "\n".join(f"{name}: {found}" for name, found in problems.items())
    assert console_errors == []
