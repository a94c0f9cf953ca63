"""Who reaches which peer-review page, persona by persona and stage by stage: a 404 for whatever
is beyond reach. The service never sees one reviewer's rating before the report is final; it sees
the agreed ratings, findings and decision from the draft report on, commissioners once final."""

import pytest

from reviews.models import CycleState
from reviews.peer.services import submit_peer_ratings
from tests.support.pages import table, text
from tests.support.personas import PERSONA_NAMES, browser_for, reviewer
from tests.support.reviews import ABSTAIN, PeerReview

PAGES = {
    "visit": lambda review: review.url("visit"),
    "review": lambda review: review.url("review"),
    "review value": lambda review: review.url("review-value", "V1"),
    "agreement": lambda review: review.url("agreement"),
    "agree criterion": lambda review: review.url("agree-criterion", "V1.1"),
    "findings": lambda review: review.url("findings"),
    "action": lambda review: review.url("action", review.the_action.pk),
    "accuracy": lambda review: review.url("accuracy"),
    "decision": lambda review: review.url("decision"),
    "feedback": lambda review: review.url("feedback"),
}
TEAM = {"reviewer", "lived_experience_reviewer", "lead_reviewer"}
SERVICE = {"lead", "staff", "member"}
WORKS_THERE = {"lead", "staff"}
EVERYONE = [*PERSONA_NAMES, "off_team"]  # off_team: a peer reviewer who is not on this team

VISIT, AGREED, DRAFT, FINAL = CycleState.VISIT, CycleState.RATINGS_AGREED, CycleState.REPORT_DRAFT, CycleState.FINAL
# Who gets each page at each stage (everyone else: 404). During the visit only the peer reviewer
# has submitted their ratings, so only they (and administrators) see everyone's.
READERS = {
    VISIT: {
        "visit": {"admin"} | TEAM | SERVICE,
        "review": TEAM,
        "review value": TEAM,
        "agreement": {"admin", "reviewer"},
        "agree criterion": {"admin", "reviewer"},
        # Staff reach the page for actions carried over from their last review (none here).
        "findings": {"admin"} | TEAM | WORKS_THERE,
        "action": {"admin"} | TEAM,
        # Comments on factual accuracy begin with the draft report.
        "accuracy": {"admin"},
        # The decision's figures come from agreed ratings: not for reviewers yet to submit.
        "decision": {"admin", "reviewer"},
        "feedback": {"admin"},
    },
    AGREED: {
        "visit": {"admin"} | TEAM | SERVICE,
        "review": TEAM,
        "review value": TEAM,
        "agreement": {"admin"} | TEAM,
        "agree criterion": {"admin"} | TEAM,
        "findings": {"admin"} | TEAM | WORKS_THERE,
        "action": {"admin"} | TEAM,
        "accuracy": {"admin"},
        "decision": {"admin"} | TEAM,
        "feedback": {"admin"} | SERVICE,
    },
    DRAFT: {
        "visit": {"admin"} | TEAM | SERVICE,
        "review": TEAM,
        "review value": TEAM,
        "agreement": {"admin"} | TEAM,
        "agree criterion": {"admin"} | TEAM,
        "findings": {"admin"} | TEAM | SERVICE,
        "action": {"admin"} | TEAM | SERVICE,
        "accuracy": {"admin"} | TEAM | WORKS_THERE,
        "decision": {"admin"} | TEAM | SERVICE,
        "feedback": {"admin"} | SERVICE,
    },
    FINAL: {
        # Commissioners read the final report, and with it when the visit was and who came.
        "visit": {"admin", "commissioner"} | TEAM | SERVICE,
        "review": TEAM,
        "review value": TEAM,
        # Once final, the service may see each reviewer's rating, side by side with its own.
        "agreement": {"admin"} | TEAM | SERVICE,
        "agree criterion": {"admin"} | TEAM | SERVICE,
        "findings": {"admin", "commissioner"} | TEAM | SERVICE,
        "action": {"admin", "commissioner"} | TEAM | SERVICE,
        "accuracy": {"admin"} | TEAM | WORKS_THERE,
        "decision": {"admin", "commissioner"} | TEAM | SERVICE,
        "feedback": {"admin"} | SERVICE,
    },
}
# Not settled by this rule set: whether the service and commissioners see every reviewer's
# rating once the report is final. Everything before that is.
UNSETTLED = {(FINAL, page, persona) for page in ("agreement", "agree criterion") for persona in SERVICE | {"commissioner"}}

SECRET = "Only the team may read this reviewer's comment."
REASON = "Only the team may read why I abstained."


def review_at(personas, stage):
    """The home service's review at `stage`, with a finding and an action recorded during the visit.
    Each reviewer's comments and reasons are words nobody outside the team should read."""
    review = PeerReview(personas).to(VISIT)
    place = review.rate_everything(personas.reviewer, submit=False, V1_1="Not met", V1_2=(ABSTAIN, REASON))
    place.ratings.filter(criterion__code="V1.1").update(comment=SECRET)
    submit_peer_ratings(place)
    review.the_finding = review.finding()
    review.the_action = review.action(finding=review.the_finding)
    if stage != VISIT:
        review.rate_everything(personas.lived_experience_reviewer)
        review.rate_everything(personas.lead_reviewer)
        review.agree_everything().finish()
    return review.to(stage)


@pytest.fixture
def off_team(db):
    return reviewer("offteam")


@pytest.mark.parametrize("stage", [VISIT, AGREED, DRAFT, FINAL])
@pytest.mark.parametrize("persona", EVERYONE)
def test_peer_review_pages_reached_by(personas, off_team, stage, persona):
    review = review_at(personas, stage)
    client = browser_for(off_team if persona == "off_team" else getattr(personas, persona))

    reached = {
        page: client.get(url(review)).status_code for page, url in PAGES.items()
        if (stage, page, persona) not in UNSETTLED
    }

    assert reached == {
        page: 200 if persona in READERS[stage][page] else 404 for page in reached
    }


@pytest.mark.parametrize("page", PAGES)
def test_peer_review_pages_send_anonymous_to_sign_in(personas, client, page):
    url = PAGES[page](review_at(personas, VISIT))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={url}"


@pytest.mark.parametrize("stage", [VISIT, AGREED, DRAFT])
@pytest.mark.parametrize("persona", ["lead", "staff", "member", "commissioner"])
def test_service_never_reads_a_reviewers_own_rating_before_final(personas, stage, persona):
    review = review_at(personas, stage)
    client = browser_for(getattr(personas, persona))
    cycle_page = client.get(review.cycle.get_absolute_url())

    for page, url in PAGES.items():
        response = client.get(url(review))
        assert SECRET not in response.content.decode(), page
        assert REASON not in response.content.decode(), page
    assert SECRET not in cycle_page.content.decode()


def test_team_reads_each_reviewers_rating(personas):
    review = review_at(personas, AGREED)

    response = browser_for(personas.lived_experience_reviewer).get(review.url("agree-criterion", "V1.1"))

    assert SECRET in text(response)


def agreed_ratings(response):
    return table(response, "Agreed rating of each criterion")


@pytest.mark.parametrize("persona", ["lead", "staff", "member"])
def test_service_sees_agreed_ratings_findings_and_decision_from_draft(personas, persona):
    review = review_at(personas, AGREED)
    client = browser_for(getattr(personas, persona))
    assert client.get(review.url("decision")).status_code == 404

    review.send_draft()
    decision = client.get(review.url("decision"))
    findings = client.get(review.url("findings"))

    assert len(agreed_ratings(decision)) == 12
    assert agreed_ratings(decision)[0] == "V1.1 Statement for V1.1. Met The team weighed every view."
    assert "12 of 12 applicable criteria are met: 100.0%." in text(decision)
    assert "Night staff are not yet part of reflective practice." in text(findings)
    assert "Include night staff in reflective practice." in text(findings)


def test_commissioner_sees_agreed_ratings_findings_and_decision_once_final(personas):
    review = review_at(personas, DRAFT)
    client = browser_for(personas.commissioner)
    assert [client.get(review.url(name)).status_code for name in ("decision", "findings")] == [404, 404]

    review.decide()
    decision = client.get(review.url("decision"))

    assert decision.status_code == 200
    assert len(agreed_ratings(decision)) == 12
    assert "Awarded The agreed ratings meet the award rule." in text(decision)
    assert "Night staff are not yet part of reflective practice." in text(client.get(review.url("findings")))


def test_reviewer_sees_agreed_ratings_only_after_submitting_own(personas):
    review = review_at(personas, VISIT)
    review.rate_everything(personas.lead_reviewer)
    review.agree("V1.1", "Partly met")

    unsubmitted = browser_for(personas.lived_experience_reviewer).get(review.url("decision"))
    submitted = browser_for(personas.reviewer).get(review.url("decision"))

    assert unsubmitted.status_code == 404
    assert agreed_ratings(submitted) == ["V1.1 Statement for V1.1. Partly met The team weighed every view."]


def test_cycle_page_links_only_to_reachable_peer_review_pages(personas):
    review = review_at(personas, DRAFT)

    member_links = text(browser_for(personas.member).get(review.cycle.get_absolute_url()))
    reviewer_links = text(browser_for(personas.reviewer).get(review.cycle.get_absolute_url()))

    assert "Findings and action plan" in member_links and "Decision" in member_links
    assert "Every rating side by side" not in member_links and "Your ratings" not in member_links
    assert "Comments on factual accuracy" not in member_links
    assert "Your ratings" in reviewer_links and "Every rating side by side" in reviewer_links
    assert "Feedback on the visit" not in reviewer_links
