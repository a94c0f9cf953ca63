"""Ratifying when two administrators act at the same moment, each in their own database session,
against a real PostgreSQL server: one decision, one final report version, no vote lost."""

import pytest

from assurance.models import RoleKind
from reviews.decisions.models import RatificationVote, Recommendation, RecommendationStatus
from reviews.decisions.services.ratify import ratify, recommend_outcome, return_recommendation
from reviews.errors import ReviewError
from reviews.models import CycleState, Decision, DecisionOutcome
from reviews.reports.models import Report
from tests.reviews.peer.test_concurrency import at_once
from tests.support.personas import person
from tests.support.reviews import PeerReview

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def recommendation(personas):
    review = PeerReview(personas).to(CycleState.REPORT_DRAFT)
    return recommend_outcome(review.cycle, outcome=DecisionOutcome.NOT_AWARDED, reasons="Not this time.",
                             valid_until=None, follow_up_due=None, recommended_by=personas.lead_reviewer)


@pytest.fixture
def second_admin(db):
    return person("admin2", RoleKind.NETWORK_ADMIN)


def test_two_administrators_ratifying_at_once_record_one_decision_and_one_report(personas, recommendation,
                                                                                  second_admin):
    outcomes = at_once(lambda: ratify(recommendation, by=personas.admin),
                       lambda: ratify(recommendation, by=second_admin))

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ReviewError)
    assert "already ratified" in str(errors[0])
    assert Decision.objects.filter(cycle=recommendation.cycle).count() == 1
    assert list(Report.objects.filter(cycle=recommendation.cycle, is_final=True).values_list("version", flat=True)) == [1]
    assert RatificationVote.objects.count() == 1
    assert Recommendation.objects.get().status == RecommendationStatus.RATIFIED


def test_a_panel_of_two_ratifying_at_once_keeps_both_votes_and_decides_once(personas, recommendation,
                                                                            second_admin, settings):
    settings.RATIFICATION_PANEL_SIZE = 2

    outcomes = at_once(lambda: ratify(recommendation, by=personas.admin),
                       lambda: ratify(recommendation, by=second_admin))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert RatificationVote.objects.filter(ratified=True).count() == 2
    assert Recommendation.objects.get().status == RecommendationStatus.RATIFIED
    assert Decision.objects.get().recorded_by in {personas.admin, second_admin}
    assert Report.objects.filter(cycle=recommendation.cycle, is_final=True).count() == 1


def test_ratifying_and_returning_at_once_settle_it_one_way(personas, recommendation, second_admin):
    outcomes = at_once(lambda: ratify(recommendation, by=personas.admin),
                       lambda: return_recommendation(recommendation, by=second_admin, reason="Not enough evidence."))

    assert len([o for o in outcomes if isinstance(o, ReviewError)]) == 1, outcomes
    settled = Recommendation.objects.get()
    decisions = Decision.objects.count()
    assert (settled.status, decisions) in {(RecommendationStatus.RATIFIED, 1), (RecommendationStatus.RETURNED, 0)}
    assert RatificationVote.objects.count() == 1
