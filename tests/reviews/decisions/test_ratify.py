"""Recommend, then ratify: the lead reviewer recommends an outcome with reasons while the report
is a draft; network administrators not involved ratify it (a panel of
settings.RATIFICATION_PANEL_SIZE) or return it with a reason. Ratifying records the decision, makes
the report final and issues final report version 1 in one step."""

import datetime

import pytest
from django.utils import timezone

from assurance.models import RoleKind
from reviews.decisions.models import RatificationVote, Recommendation, RecommendationStatus
from reviews.decisions.services.ratify import close_review, ratify, recommend_outcome, return_recommendation
from reviews.errors import ReviewError
from reviews.models import CycleState, Decision, DecisionOutcome, FollowUp
from reviews.reports.models import Report
from reviews.reports.services import issue_on_decision
from tests.factories import AppealFactory, ConflictOfInterestFactory
from tests.support.personas import person
from tests.support.reviews import PeerReview, put_on_review_team

THREE_YEARS_ON = object()  # recommend()'s valid_until when none is given


def later():
    """Three years from today, read when the test runs (not when the module is collected)."""
    return timezone.localdate() + datetime.timedelta(days=3 * 365)


@pytest.fixture
def review(personas):
    """Kestrel Wing's review, its draft report with the service; V1.1 agreed Not met."""
    review = PeerReview(personas).to(CycleState.VISIT)
    review.everyone_rates()
    review.agree_everything(V1_1="Not met")
    review.finish()
    return review.to(CycleState.REPORT_DRAFT)


@pytest.fixture
def second_admin(db):
    return person("admin2", RoleKind.NETWORK_ADMIN)


def recommend(review, outcome=DecisionOutcome.AWARDED, reasons="Every tier reaches its threshold.",
              valid_until=THREE_YEARS_ON, follow_up_due=None, by=None):
    if valid_until is THREE_YEARS_ON:
        valid_until = later()
    return recommend_outcome(review.cycle, outcome=outcome, reasons=reasons, valid_until=valid_until,
                             follow_up_due=follow_up_due, recommended_by=by or review.personas.lead_reviewer)


def refusal(call):
    with pytest.raises(ReviewError) as error:
        call()
    return error.value


# --- recommending -------------------------------------------------------------------------------


def test_lead_reviewer_recommends_an_outcome_waiting_for_ratification(review):
    recommendation = recommend(review)

    assert (recommendation.status, recommendation.outcome, recommendation.valid_until) == (
        RecommendationStatus.PENDING, DecisionOutcome.AWARDED, later())
    assert recommendation.recommended_by == review.personas.lead_reviewer
    assert review.refresh().cycle.state == CycleState.REPORT_DRAFT
    assert not Decision.objects.exists()


def test_recommendation_needs_reasons(review):
    error = refusal(lambda: recommend(review, reasons="   "))

    assert (error.field, error.message) == ("reasons", "Give the reasons for the outcome you recommend.")
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("outcome", [DecisionOutcome.AWARDED, DecisionOutcome.AWARDED_WITH_CONDITIONS])
@pytest.mark.parametrize(("valid_in_days", "message"), [
    (None, "Give the date the award is valid until."),
    (0, "The award must be valid until a date after today."),
])
def test_an_award_needs_valid_until_after_today(review, today, outcome, valid_in_days, message):
    valid_until = None if valid_in_days is None else today + datetime.timedelta(days=valid_in_days)
    error = refusal(lambda: recommend(review, outcome=outcome, valid_until=valid_until))

    assert (error.field, error.message) == ("valid_until", message)


@pytest.mark.parametrize(("due_in_days", "message"), [
    (None, "Give the date the follow-up review is due by."),
    (-1, "The follow-up must be due after today."),
])
def test_a_deferral_needs_follow_up_due_after_today(review, today, due_in_days, message):
    due = None if due_in_days is None else today + datetime.timedelta(days=due_in_days)
    error = refusal(lambda: recommend(review, outcome=DecisionOutcome.DEFERRED, follow_up_due=due))

    assert (error.field, error.message) == ("follow_up_due", message)


def test_dates_that_do_not_apply_to_the_outcome_are_left_out(review):
    recommendation = recommend(review, outcome=DecisionOutcome.NOT_AWARDED, valid_until=later(),
                               follow_up_due=later())

    assert (recommendation.valid_until, recommendation.follow_up_due) == (None, None)


@pytest.mark.parametrize("persona", ["reviewer", "admin", "lead"])
def test_only_the_lead_reviewer_recommends(review, persona):
    error = refusal(lambda: recommend(review, by=getattr(review.personas, persona)))

    assert error.message == "Only the lead reviewer recommends the outcome."


def test_recommendation_waits_for_every_accuracy_comment_answered(review):
    review.comment("The finding is out of date.", code="V1.2")

    error = refusal(lambda: recommend(review))

    assert error.message == "Answer the service's comments on accuracy first: 1 still waiting."


def test_one_recommendation_waits_at_a_time(review):
    recommend(review)

    error = refusal(lambda: recommend(review, outcome=DecisionOutcome.NOT_AWARDED))

    assert error.message == "A recommendation is already waiting for ratification."


def test_no_recommendation_before_the_draft_report(personas):
    review = PeerReview(personas).to(CycleState.RATINGS_AGREED)

    error = refusal(lambda: recommend(review))

    assert error.message == "The outcome is recommended while the report is a draft."


# --- who ratifies -------------------------------------------------------------------------------


def test_an_administrator_on_the_team_cannot_ratify(review, second_admin):
    put_on_review_team(review.cycle, second_admin)
    recommendation = recommend(review)

    error = refusal(lambda: ratify(recommendation, by=second_admin))

    assert error.message == "You are on this review's team, so another administrator ratifies it."
    assert not RatificationVote.objects.exists()


def test_whoever_recommended_cannot_ratify(review, second_admin):
    recommendation = recommend(review)
    Recommendation.objects.filter(pk=recommendation.pk).update(recommended_by=second_admin)

    error = refusal(lambda: ratify(recommendation, by=second_admin))

    assert error.message == "You recommended this outcome, so another administrator ratifies it."


def test_an_administrator_with_a_conflict_of_interest_cannot_ratify(review, second_admin):
    ConflictOfInterestFactory(user=second_admin, service=review.cycle.service)
    recommendation = recommend(review)

    error = refusal(lambda: return_recommendation(recommendation, by=second_admin, reason="No."))

    assert "declared a conflict of interest" in error.message


@pytest.mark.parametrize("persona", ["lead_reviewer", "lead", "commissioner"])
def test_only_network_administrators_ratify(review, persona):
    recommendation = recommend(review)

    error = refusal(lambda: ratify(recommendation, by=getattr(review.personas, persona)))

    assert error.message == "A network administrator ratifies the recommendation."


# --- ratifying puts it into effect ---------------------------------------------------------------


def test_ratifying_records_the_decision_makes_the_report_final_and_issues_version_1(review):
    recommendation = recommend(review, outcome=DecisionOutcome.AWARDED_WITH_CONDITIONS, reasons="With the action.")

    ratify(recommendation, by=review.personas.admin, reason="Agreed.")

    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.RATIFIED
    decision = Decision.objects.get(cycle=review.cycle)
    assert (decision.outcome, decision.rationale, decision.valid_until) == (
        DecisionOutcome.AWARDED_WITH_CONDITIONS, "With the action.", later())
    assert (decision.recorded_by, decision.recommended_by) == (review.personas.admin, review.personas.lead_reviewer)
    assert review.refresh().cycle.state == CycleState.FINAL
    finals = Report.objects.filter(cycle=review.cycle, is_final=True)
    assert [(r.version, r.issued_by) for r in finals] == [(1, review.personas.admin)]


def test_a_ratified_deferral_opens_the_follow_up_of_the_unmet_criteria(review, today):
    due = today + datetime.timedelta(weeks=12)
    recommendation = recommend(review, outcome=DecisionOutcome.DEFERRED, follow_up_due=due)

    ratify(recommendation, by=review.personas.admin)

    follow_up = FollowUp.objects.get(cycle=review.cycle)
    assert follow_up.due_on == due
    assert [c.code for c in follow_up.criteria.all()] == ["V1.1"]
    assert Decision.objects.get().outcome == DecisionOutcome.DEFERRED
    assert Report.objects.filter(cycle=review.cycle, is_final=True).count() == 1


def test_deferral_needs_a_criterion_not_met(personas):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)

    error = refusal(lambda: recommend(review, outcome=DecisionOutcome.DEFERRED, follow_up_due=later()))

    assert error.field == "outcome"
    assert "nothing to follow up" in error.message


def test_a_comment_made_after_the_recommendation_waits_for_its_answer_before_ratifying(review):
    recommendation = recommend(review)
    comment = review.comment("The rota changed in March.", code="V1.1")

    error = refusal(lambda: ratify(recommendation, by=review.personas.admin))
    review.answer(comment)
    ratify(recommendation, by=review.personas.admin)

    assert "has not yet answered 1" in error.message
    assert Decision.objects.filter(cycle=review.cycle).count() == 1


def test_a_panel_of_two_needs_two_ratifications(review, second_admin, settings):
    settings.RATIFICATION_PANEL_SIZE = 2
    recommendation = recommend(review)

    ratify(recommendation, by=review.personas.admin)
    again = refusal(lambda: ratify(recommendation, by=review.personas.admin))
    waiting = Recommendation.objects.get().status
    ratify(recommendation, by=second_admin)

    assert again.message == "You have already ratified this recommendation."
    assert waiting == RecommendationStatus.PENDING
    assert Recommendation.objects.get().status == RecommendationStatus.RATIFIED
    assert Decision.objects.get().recorded_by == second_admin
    assert review.refresh().cycle.state == CycleState.FINAL


# --- returning ---------------------------------------------------------------------------------


def test_a_return_needs_a_reason(review):
    recommendation = recommend(review)

    error = refusal(lambda: return_recommendation(recommendation, by=review.personas.admin, reason=" "))

    assert (error.field, error.message) == ("reason", "Say why you return the recommendation, for the lead reviewer.")
    assert Recommendation.objects.get().status == RecommendationStatus.PENDING


def test_a_returned_recommendation_says_why_and_the_lead_may_recommend_again(review):
    first = recommend(review)

    return_recommendation(first, by=review.personas.admin, reason="Tier 1 is not met: not an award.")
    second = recommend(review, outcome=DecisionOutcome.NOT_AWARDED, reasons="V1.1 is not met.")
    late = refusal(lambda: ratify(first, by=review.personas.admin))

    first.refresh_from_db()
    assert (first.status, first.returned_reason) == (RecommendationStatus.RETURNED, "Tier 1 is not met: not an award.")
    assert late.message == "This recommendation is already returned to the lead reviewer."
    assert second.status == RecommendationStatus.PENDING
    assert review.refresh().cycle.state == CycleState.REPORT_DRAFT
    assert not Decision.objects.exists()


# --- the report, and closing -----------------------------------------------------------------------


def test_no_new_report_version_when_nothing_changed(review):
    ratify(recommend(review), by=review.personas.admin)

    again = issue_on_decision(None, cycle=review.cycle, actor=review.personas.admin, reason="")

    assert again is None
    assert Report.objects.filter(cycle=review.cycle, is_final=True).count() == 1


def test_the_review_closes_only_once_follow_up_and_appeal_are_settled(review):
    ratify(recommend(review, outcome=DecisionOutcome.DEFERRED, follow_up_due=later()), by=review.personas.admin)

    open_follow_up = refusal(lambda: close_review(review.cycle, closed_by=review.personas.admin))
    FollowUp.objects.update(status="decided")
    appeal = AppealFactory(cycle=review.cycle)
    under_appeal = refusal(lambda: close_review(review.cycle, closed_by=review.personas.admin))
    appeal.status = "withdrawn"
    appeal.save()
    close_review(review.cycle, closed_by=review.personas.admin)

    assert "follow-up review is still open" in open_follow_up.message
    assert "under appeal" in under_appeal.message
    assert review.refresh().cycle.state == CycleState.CLOSED
