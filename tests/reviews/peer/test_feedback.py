"""Feedback runs both ways: the service rates the visit and the team; only network administrators
read what it said."""

import pytest

from reviews.models import CycleState, VisitFeedback
from tests.support.pages import text
from tests.support.personas import browser_for
from tests.support.reviews import PeerReview


def give(client, review, visit_rating="4", team_rating="5", went_well="They listened to members first.",
         could_improve="The draft came late."):
    return client.post(review.url("feedback"), {"visit_rating": visit_rating, "team_rating": team_rating,
                                                "went_well": went_well, "could_improve": could_improve}, follow=True)


@pytest.mark.parametrize("persona", ["lead", "staff", "member"])
def test_service_gives_feedback_once_ratings_agreed(personas, persona):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)
    client = browser_for(getattr(personas, persona))

    page = client.get(review.url("feedback"))
    response = give(client, review)

    assert f"The team: {personas.lead_reviewer} (lead reviewer)" in text(page)
    assert response.redirect_chain[-1][0] == review.cycle.get_absolute_url()
    assert "Thank you. Your feedback goes to the network administrators." in text(response)
    feedback = VisitFeedback.objects.get()
    assert (feedback.given_by, feedback.visit_rating, feedback.team_rating, feedback.went_well,
            feedback.could_improve) == (getattr(personas, persona), 4, 5, "They listened to members first.",
                                        "The draft came late.")


def test_feedback_given_again_replaces_mine(personas):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    client = browser_for(personas.staff)
    give(client, review)

    give(client, review, visit_rating="2", went_well="")

    assert [(f.visit_rating, f.went_well) for f in VisitFeedback.objects.all()] == [(2, "")]
    assert client.get(review.url("feedback")).context["form"]["visit_rating"].value() == 2


def test_feedback_needs_both_ratings(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)

    response = browser_for(personas.lead).post(review.url("feedback"), {"visit_rating": "6", "went_well": "Good."})

    assert response.status_code == 400
    assert not VisitFeedback.objects.exists()


def test_feedback_not_before_ratings_agreed(personas):
    review = PeerReview(personas).to(CycleState.VISIT)
    client = browser_for(personas.lead)

    assert client.get(review.url("feedback")).status_code == 404
    assert give(client, review).status_code == 404
    assert not VisitFeedback.objects.exists()


def test_feedback_read_by_admins_only(personas):
    review = PeerReview(personas).to(CycleState.FINAL)
    give(browser_for(personas.lead), review, went_well="Honest feedback on the day.")
    give(browser_for(personas.member), review, visit_rating="3", team_rating="3", could_improve="Talk to nights.")

    admin_page = text(browser_for(personas.admin).get(review.url("feedback")))
    staff_page = text(browser_for(personas.staff).get(review.url("feedback")))

    assert "Feedback received" in admin_page
    assert f"Visit: 4/5 · Team: 5/5 {personas.lead}," in admin_page
    assert "Went well: Honest feedback on the day." in admin_page
    assert f"Visit: 3/5 · Team: 3/5 {personas.member}," in admin_page
    assert "Could be better: Talk to nights." in admin_page
    assert "Send feedback" not in admin_page
    for hidden in ("Feedback received", "Honest feedback on the day.", "Talk to nights."):
        assert hidden not in staff_page


@pytest.mark.parametrize("persona", ["reviewer", "lived_experience_reviewer", "lead_reviewer", "commissioner",
                                     "outsider"])
def test_feedback_page_hidden_from_team_and_others(personas, persona):
    review = PeerReview(personas).to(CycleState.FINAL)
    give(browser_for(personas.lead), review)
    client = browser_for(getattr(personas, persona))

    assert client.get(review.url("feedback")).status_code == 404
    assert give(client, review).status_code == 404
    assert VisitFeedback.objects.count() == 1


def test_admin_reads_but_does_not_give_feedback(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)

    response = give(browser_for(personas.admin), review)

    assert response.status_code == 404
    assert not VisitFeedback.objects.exists()
