"""Visit invitations in real Chromium: a reviewer declines with the keyboard alone, is told next to
the field to say why, then says on which proposed dates they could come; the lead reviewer reads
the answers. Every state of the page is accessible."""

import datetime

import pytest
from playwright.sync_api import expect

from reviews.models import Availability, DateAvailability, InvitationStatus, VisitInvitation
from reviews.peer.services.invitations import propose_dates, send_invitations
from reviews.templatetags.review_tags import long_date
from tests.e2e.conftest import axe_violations
from tests.e2e.test_self_assessment import focused_matches, tab_to
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.browser


def test_reviewer_answers_invitation_and_dates_with_the_keyboard(sign_in, page, live_server, personas, console_errors,
                                                                 today):
    review = PeerReview(personas).submit_self_assessment().build_team()
    send_invitations(review.cycle, by=personas.admin)
    soon = today + datetime.timedelta(weeks=6)
    first, second = propose_dates(review.cycle, [soon, soon + datetime.timedelta(days=3)], by=personas.admin)
    url = live_server.url + review.url("visit")

    sign_in(personas.reviewer)
    page.goto(url)
    assert axe_violations(page) == []
    tab_to(page, "#id_invitation-answer_0")  # the group of radio buttons; the arrow picks "No, I decline"
    page.keyboard.press("ArrowDown")
    tab_to(page, "button[name=answer_invitation]")
    page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Reason for declining: say why you cannot come.")
    expect(page.locator("#id_invitation-answer_1")).to_be_checked()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/h2-visit-decline-error.png", full_page=True)
    summary.get_by_role("link").first.click()
    assert focused_matches(page, "#id_invitation-reason")
    page.keyboard.type("I am on leave that week.")
    tab_to(page, "button[name=answer_invitation]")
    page.keyboard.press("Enter")
    expect(page.locator("body")).to_contain_text("you decline the invitation")

    page.locator(f"#id_availability-on_{first.pk}_0").check()
    page.locator(f"#id_availability-on_{second.pk}_2").check()
    page.locator("button[name=give_availability]").press("Enter")
    expect(page.locator("body")).to_contain_text("your answers on the dates are saved")
    assert VisitInvitation.objects.get(user=personas.reviewer).status == InvitationStatus.DECLINED
    assert set(DateAvailability.objects.values_list("answer", flat=True)) == {Availability.YES, Availability.NO}

    page.context.clear_cookies()
    sign_in(personas.lead_reviewer)
    page.goto(url)
    invitations = page.locator("section[aria-labelledby=invitations-heading]")
    expect(invitations).to_contain_text("I am on leave that week.")
    expect(invitations).to_contain_text(long_date(soon))
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1024, "height": 900})
    invitations.screenshot(path="/tmp/h2-visit-invitations.png")
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The refused answer came back as 400 Bad Request, by design; nothing else went wrong.
    assert [error for error in console_errors if "status of 400" not in error] == []
