"""Every person's home page in real Chromium: "Waiting for you" lists what needs them now, axe
finds nothing on it, and an administrator acknowledges an urgent concern there with the keyboard."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assurance.models import RoleKind
from reviews.models import CycleState, Finding, FindingKind
from tests.e2e.conftest import axe_violations
from tests.factories import CycleFactory, RoleFactory, ServiceFactory, TeamMemberFactory, VisitFactory
from tests.support.personas import PERSONA_NAMES
from tests.support.reviews import PeerReview

pytestmark = pytest.mark.browser

WAITING = "section[aria-labelledby=waiting-heading]"
EXPECTED = {
    "admin": "Urgent concern at Kestrel Wing, recorded on",
    "lead": "The draft report of Kestrel Wing is ready",
    "staff": "The draft report of Kestrel Wing is ready",
    "member": "The questionnaire of Cedar Unit is open",
    "reviewer": "Your ratings for Cedar Unit are not submitted yet.",
    "lived_experience_reviewer": "Your ratings for Cedar Unit are not submitted yet.",
    "lead_reviewer": "commented on the accuracy of the draft report: 1 comment to answer.",
    "commissioner": "Urgent concern at Kestrel Wing, escalated to you on",
    "outsider": "Nothing is waiting for you.",
}


@pytest.fixture
def network(personas):
    """Kestrel Wing's draft report with a comment to answer, an urgent concern waiting for the
    administrators and one escalated to the commissioner; Cedar Unit's visit under way, with two
    of the reviewers on its team and the member living there too."""
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    review.comment(code="V1.1")
    review.finding(FindingKind.URGENT, "Night checks are skipped.")
    Finding.objects.create(cycle=review.cycle, kind=FindingKind.URGENT, text="Fire doors are wedged open.",
                           escalated_by=personas.admin, escalated_at=timezone.now(), escalation_reason="Fire safety.",
                           acknowledged_by=personas.admin, acknowledged_at=timezone.now())
    cedar = ServiceFactory(name="Cedar Unit")
    RoleFactory(user=personas.member, kind=RoleKind.MEMBER, service=cedar)
    visit = VisitFactory(cycle=CycleFactory(service=cedar, edition=review.cycle.edition, state=CycleState.VISIT))
    TeamMemberFactory(visit=visit, user=personas.reviewer, role="peer_reviewer")
    TeamMemberFactory(visit=visit, user=personas.lived_experience_reviewer, role="lived_experience_reviewer")
    return review


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_each_home_shows_what_waits_and_passes_axe(sign_in, page, personas, network, persona, console_errors):
    sign_in(getattr(personas, persona))

    waiting = page.locator(WAITING)
    expect(waiting).to_contain_text("Waiting for you")
    expect(waiting).to_contain_text(EXPECTED[persona])
    assert axe_violations(page) == []
    assert console_errors == []


def test_an_administrator_acknowledges_an_urgent_concern_from_home_with_the_keyboard(sign_in, page, live_server,
                                                                                     personas, network):
    sign_in(personas.admin)
    button = page.get_by_role("button", name="Acknowledge the urgent concern at Kestrel Wing")

    button.focus()
    page.keyboard.press("Enter")

    expect(page.locator(".notice--success[role=status]")).to_contain_text("Urgent concern acknowledged.")
    expect(page.locator(WAITING)).not_to_contain_text("Night checks are skipped.")
    assert page.url == f"{live_server.url}/"
    assert Finding.objects.get(text="Night checks are skipped.").acknowledged_by == personas.admin
