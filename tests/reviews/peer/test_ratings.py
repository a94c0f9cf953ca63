"""A reviewer's own ratings: each criterion beside the service's answers and evidence, rated on
their own, then submitted and locked. Nobody sees the others' ratings before submitting theirs."""

import pytest

from reviews.members.models import Channel
from reviews.models import CycleState
from tests.factories import EvidenceFactory
from tests.support.pages import section, text
from tests.support.peer import ValuePage, stored_ratings
from tests.support.personas import browser_for
from tests.support.reviews import ABSTAIN, NA, PeerReview


def started(personas, **cycle_fields):
    review = PeerReview(personas, **cycle_fields)
    review.self_rate("V1.1", "Met", narrative="Supervision is monthly; the rota shows it.")
    review.self_rate("V1.3", "Partly met", narrative="Staff say most meetings are chaired by members.")
    review.members_answer("V1.3", *["no"] * 4, "sometimes", "yes", anything_else="Staff chair when it matters.")
    review.members_answer("V1.2", "yes", channel=Channel.GROUP, group_size=9)
    return review.to(CycleState.VISIT)


def criterion_section(response, code):
    return section(response, f"statement-{code}")


# --- the workspace ----------------------------------------------------------------------------


def test_review_page_lists_values_with_progress(personas):
    review = started(personas)
    review.rate(personas.reviewer, {"V1.1": "Met", "V1.2": NA, "V1.3": (ABSTAIN, "Not seen."), "V2.1": "Met"})

    response = browser_for(personas.reviewer).get(review.url("review"))

    page = text(response)
    assert "Kestrel Wing · Peer reviewer Your ratings" in page
    assert "4 of 12 criteria rated." in page
    assert "Value 1 3 of 3 rated Completed" in page
    assert "Value 2 1 of 3 rated In progress" in page
    assert "Value 3 0 of 3 rated Not started" in page
    assert "Rate each criterion on your own." in page


def test_value_page_shows_service_answers_and_evidence_per_criterion(personas):
    review = started(personas)
    minutes = EvidenceFactory(cycle=review.cycle, title="Supervision rota 2026")
    review.cycle.self_ratings.get(criterion__code="V1.1").evidence.add(minutes)

    response = browser_for(personas.reviewer).get(review.url("review-value", "V1"))

    v11, v12, v13 = (criterion_section(response, code) for code in ("V1.1", "V1.2", "V1.3"))
    assert "Staff say Met Supervision is monthly; the rota shows it." in v11
    assert "Supervision rota 2026" in v11
    assert "Members say Not asked of members" in v11
    assert "Staff say Not asked of staff" in v12
    assert "Members say Meeting: Yes (9 members)" in v12
    assert "Staff say Partly met Staff say most meetings are chaired by members." in v13
    assert ("Members say Yes 1 · Sometimes 1 · No 4 (n=6) "
            "Of 6 members who answered, 1 said yes, 1 sometimes and 4 no.") in v13
    assert "Staff chair when it matters." not in text(response)  # what members wrote is not shown beside the ratings
    for part in (v11, v12, v13):
        assert "My rating Met Partly met Not met Not applicable Abstain" in part
        assert "Why I abstain" in part and "Comment" in part


def test_value_page_hides_answers_while_self_assessment_open(personas):
    """The team is chosen early; the service's answers are theirs until they submit them."""
    review = PeerReview(personas).build_team()
    review.self_rate("V1.1", "Met", narrative="Draft words the service is still working on.")
    review.members_answer("V1.3", *["yes"] * 6)

    response = browser_for(personas.reviewer).get(review.url("review-value", "V1"))

    assert response.status_code == 200
    assert "Draft words the service is still working on." not in text(response)
    assert "(n=6)" not in text(response)
    assert "Members say Not shown to you" in text(response)
    assert "These ratings can be read but not changed." in text(response)


def test_rating_saved_with_level_na_abstention_and_comments(personas):
    review = started(personas)
    page = ValuePage(browser_for(personas.reviewer), review.cycle, "V1")
    page.rate("V1.1", "Partly met", comment="Supervision happens, but not for nights.")
    page.rate("V1.2", NA, comment="No welcome group: nobody new since spring.")
    page.rate("V1.3", ABSTAIN, reason="I was not at the community meeting.")

    response = page.post("save")

    assert response.redirect_chain[-1][0] == review.url("review-value", "V1")
    assert "Saved." in text(response)
    assert stored_ratings(review.member(personas.reviewer)) == {
        "V1.1": ("Partly met", "Supervision happens, but not for nights."),
        "V1.2": ("N/A", "No welcome group: nobody new since spring."),
        "V1.3": ("Abstained: I was not at the community meeting.", ""),
    }


def test_rating_shown_again_when_page_reopened(personas):
    review = started(personas)
    client = browser_for(personas.reviewer)
    ValuePage(client, review.cycle, "V1").rate("V1.1", "Not met", comment="Rota shows gaps.").post()

    page = ValuePage(client, review.cycle, "V1")

    v11 = review.cycle.edition.criteria.get(code="V1.1").pk
    assert page.data[f"c{v11}_level"] == str(review.levels[0].pk)
    assert page.data[f"c{v11}_comment"] == "Rota shows gaps."
    assert page.data[f"c{v11}_version"] == 1


def test_abstaining_without_reason_refused_and_nothing_saved(personas):
    review = started(personas)
    page = ValuePage(browser_for(personas.reviewer), review.cycle, "V1")
    page.rate("V1.1", "Met").rate("V1.3", ABSTAIN, reason="  ")

    response = page.post("save", follow=False)

    assert response.status_code == 400
    assert "Say why you abstain on V1.3." in text(response)
    assert stored_ratings(review.member(personas.reviewer)) == {}


def test_save_and_next_goes_to_next_value(personas):
    review = started(personas)

    response = ValuePage(browser_for(personas.reviewer), review.cycle, "V1").rate("V1.1", "Met").post("save_and_next")

    assert response.redirect_chain[-1][0] == review.url("review-value", "V2")
    assert "Value 2" in text(response)
    assert stored_ratings(review.member(personas.reviewer)) == {"V1.1": ("Met", "")}


def test_save_and_next_on_last_value_goes_back_to_submit(personas):
    review = started(personas)

    response = ValuePage(browser_for(personas.reviewer), review.cycle, "V4").rate("V4.1", "Met").post("save_and_next")

    assert response.redirect_chain[-1][0] == review.url("review")
    assert "Saved. That was the last value: check and submit your ratings." in text(response)


def test_value_page_unknown_value_404(personas):
    review = started(personas)

    assert browser_for(personas.reviewer).get(review.url("review-value", "V99")).status_code == 404


def test_value_page_criterion_of_another_value_refused(personas):
    review = started(personas)
    page = ValuePage(browser_for(personas.reviewer), review.cycle, "V1")
    other = review.cycle.edition.criteria.get(code="V2.1")
    page.data[f"c{other.pk}_level"] = "na"

    response = page.post(follow=False)

    assert response.status_code == 400
    assert "The ratings sent include a criterion that is not on this page. Nothing was saved." in text(response)
    assert stored_ratings(review.member(personas.reviewer)) == {}


# --- independence -----------------------------------------------------------------------------


def others_on(response, code):
    part = criterion_section(response, code)
    return part[part.find("Other reviewers"):part.find(f"{code}: My rating")].strip() if "Other reviewers" in part else ""


def test_ratings_independent_until_own_submitted(personas):
    review = started(personas)
    review.rate_everything(personas.lived_experience_reviewer, "Met", V1_1="Not met")
    review.rate(personas.reviewer, {"V1.1": "Partly met"})
    client = browser_for(personas.reviewer)

    before = client.get(review.url("review-value", "V1"))
    grid_before = client.get(review.url("agreement"))
    review_before = client.get(review.url("review"))

    assert others_on(before, "V1.1") == ""
    assert str(personas.lived_experience_reviewer) not in text(before)
    assert grid_before.status_code == 404
    assert "See every rating side by side" not in text(review_before)

    review.rate_everything(personas.reviewer, "Met")
    after = client.get(review.url("review-value", "V1"))

    assert others_on(after, "V1.1") == f"Other reviewers {personas.lived_experience_reviewer}: Not met — {personas.lived_experience_reviewer} on V1.1."
    assert client.get(review.url("agreement")).status_code == 200
    assert "See every rating side by side" in text(client.get(review.url("review")))


def test_unsubmitted_reviewer_never_sees_others_on_any_value(personas):
    review = started(personas)
    review.rate_everything(personas.lived_experience_reviewer, "Not met")
    review.rate_everything(personas.lead_reviewer, "Partly met", submit=False)
    client = browser_for(personas.reviewer)

    for value in ("V1", "V2", "V3", "V4"):
        page = text(client.get(review.url("review-value", value)))
        assert "Other reviewers" not in page
        assert str(personas.lived_experience_reviewer) not in page and str(personas.lead_reviewer) not in page
    assert client.get(review.url("agree-criterion", "V1.1")).status_code == 404


def test_ratings_shared_when_cycle_not_independent(personas):
    review = started(personas, independent_ratings=False)
    review.rate(personas.lived_experience_reviewer, {"V1.1": "Not met"})
    client = browser_for(personas.reviewer)

    response = client.get(review.url("review-value", "V1"))

    assert others_on(response, "V1.1") == f"Other reviewers {personas.lived_experience_reviewer}: Not met — {personas.lived_experience_reviewer} on V1.1."
    assert "Rate each criterion on your own." not in text(client.get(review.url("review")))
    assert client.get(review.url("agreement")).status_code == 200


def test_own_rating_not_listed_among_others(personas):
    review = started(personas, independent_ratings=False)
    review.rate(personas.reviewer, {"V1.1": "Not met"})

    response = browser_for(personas.reviewer).get(review.url("review-value", "V1"))

    assert others_on(response, "V1.1") == ""


# --- submitting -------------------------------------------------------------------------------


def test_submit_refused_until_every_criterion_answered(personas):
    review = started(personas)
    review.rate(personas.reviewer, {"V1.1": "Met", "V1.2": NA, "V1.3": (ABSTAIN, "Not seen.")})
    client = browser_for(personas.reviewer)

    page = client.get(review.url("review"))
    response = client.post(review.url("review"), {"submit": ""}, follow=True)

    assert "9 criteria still need a rating, Not applicable, or an abstention with a reason:" in text(page)
    assert "Submit my ratings" not in text(page)
    assert ("9 criteria still need a rating, Not applicable, or an abstention with a reason: "
            "V2.1, V2.2, V2.3, V3.1, V3.2, V3.3, V4.1, V4.2, V4.3.") in text(response)
    assert review.member(personas.reviewer).ratings_submitted_at is None


def test_submit_counts_abstention_without_reason_as_missing(personas):
    review = started(personas)
    review.rate_everything(personas.reviewer, "Met", submit=False, V2_2=(ABSTAIN, ""))

    response = browser_for(personas.reviewer).post(review.url("review"), {"submit": ""}, follow=True)

    assert "1 criterion still needs a rating, Not applicable, or an abstention with a reason: V2.2." in text(response)
    assert review.member(personas.reviewer).ratings_submitted_at is None


def test_submit_locks_my_ratings(personas):
    review = started(personas)
    review.rate_everything(personas.reviewer, "Met", submit=False, V1_2=NA, V1_3=(ABSTAIN, "Not seen."))
    client = browser_for(personas.reviewer)
    page = ValuePage(client, review.cycle, "V1")

    submitted = client.post(review.url("review"), {"submit": ""}, follow=True)
    changed = page.rate("V1.1", "Not met", comment="Changed my mind.").post("save")

    assert "Your ratings are submitted and locked." in text(submitted)
    assert "They are locked." in text(submitted)
    assert "Your ratings can no longer change." in text(changed)
    member = review.member(personas.reviewer)
    assert member.ratings_submitted_at is not None
    assert stored_ratings(member)["V1.1"] == ("Met", f"{personas.reviewer} on V1.1.")
    assert stored_ratings(member)["V1.3"] == ("Abstained: Not seen.", "")
    locked = client.get(review.url("review-value", "V1"))
    assert "These ratings can be read but not changed." in text(locked)
    assert "Save and go on to" not in text(locked)
    again = client.post(review.url("review"), {"submit": ""}, follow=True)
    assert "You have already submitted your ratings." in text(again)
    assert review.member(personas.reviewer).ratings_submitted_at == member.ratings_submitted_at


def test_no_ratings_before_review_starts(personas):
    review = PeerReview(personas).submit_self_assessment().build_team()
    client = browser_for(personas.reviewer)

    page = client.get(review.url("review"))
    response = ValuePage(client, review.cycle, "V1").rate("V1.1", "Met").post("save")

    assert "Ratings open when the peer review starts." in text(page)
    assert "Your ratings can no longer change." in text(response)
    assert stored_ratings(review.member(personas.reviewer)) == {}


def test_no_ratings_once_ratings_agreed(personas):
    review = started(personas)
    member = review.rate_everything(personas.reviewer, "Met", submit=False)
    review.rate_everything(personas.lead_reviewer)
    review.agree_everything().finish()

    response = ValuePage(browser_for(personas.reviewer), review.cycle, "V1").rate("V1.1", "Not met").post("save")

    assert "Your ratings can no longer change." in text(response)
    assert stored_ratings(member)["V1.1"][0] == "Met"


@pytest.mark.parametrize("persona", ["admin", "lead", "staff", "member", "commissioner", "outsider"])
def test_review_pages_only_for_the_team(personas, persona):
    review = started(personas)
    client = browser_for(getattr(personas, persona))

    assert client.get(review.url("review")).status_code == 404
    assert client.get(review.url("review-value", "V1")).status_code == 404
    assert client.post(review.url("review-value", "V1"), {}).status_code == 404
    assert client.post(review.url("review"), {"submit": ""}).status_code == 404
