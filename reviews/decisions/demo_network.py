"""The rest of the demo network: services in every sector and region whose reviews are settled, so
that the network reports have figures. Each has last year's review on the 2025.1 edition, decided and
closed, and this year's on 2026.1, ratified with its final report issued, so that both years' network
reports show their headlines and this year's compares like with like against last year's.

Built like the other demo reviews, but quicker: the team's agreed ratings stored in one go, and no
comments on accuracy. Each service is built only if it has no cycle yet.
"""

from assurance.demo import NETWORK_SERVICES, as_if_on
from reviews.cycles.models import CycleState
from reviews.decisions.dates import add_years
from reviews.decisions.demo import decide
from reviews.peer.demo import Review, Timeline, days_ago
from reviews.peer.models import AWARD_OUTCOMES, DecisionOutcome, TeamRole
from reviews.peer.queries import decision_for
from reviews.peer.services import close_cycle, record_decision

# name: (quality this year, weeks since this year's decision, quality last year, weeks since last year's)
PLANS = {
    "Heron Ward": (0.9, 12, 0.6, 60),
    "Linden Lodge": (0.93, 16, 0.9, 58),
    "Quayside Project": (0.6, 10, 0.5, 62),
    "Ashdown Community": (0.95, 20, 0.92, 54),
    "Granite Wing": (0.55, 6, 0.6, 57),
    "Wyvern House": (0.91, 14, 0.65, 61),
    "Sable Ward": (0.7, 18, 0.55, 59),
}
REASONS = {
    DecisionOutcome.AWARDED: "The agreed ratings meet the award rule in every tier, and members, staff and "
                             "reviewers describe the same service.",
    DecisionOutcome.AWARDED_WITH_CONDITIONS: "The agreed ratings meet the award rule. The award is on condition that "
                                             "the action plan's first two actions are done within six months.",
    DecisionOutcome.NOT_AWARDED: "Tier 1 criteria are not all met: the service has an action plan and is "
                                 "welcome to apply again next year.",
}


def seed_demo_network_reviews(services, editions, people):
    current, earlier = editions["2026.1"], editions.get("2025.1")
    # Reviewers in the background, so that the personas' own lists stay short.
    team = [(people["jo"], TeamRole.PEER_REVIEWER), (people["lee"], TeamRole.LIVED_EXPERIENCE_REVIEWER),
            (people["nia"], TeamRole.LEAD_REVIEWER)]
    for number, name in enumerate(NETWORK_SERVICES):
        service = services[name]
        if service.cycles.exists():
            continue
        quality, weeks, last_quality, last_weeks = PLANS[name]
        quick = {"agree_at_once": True, "accuracy_comments": False, "noise": 0.05}
        if earlier is not None:
            last_year = Review(service, earlier, team, people, people["admin"], 100 + number, quality=last_quality,
                               timeline=Timeline.reaching("decided", days_ago(last_weeks * 7)), **quick)
            last_year.run_to(CycleState.REPORT_DRAFT)
            _decided_last_year(last_year, *_outcome(last_year, number))
        review = Review(service, current, team, people, people["admin"], 200 + number, quality=quality,
                        timeline=Timeline.reaching("decided", days_ago(weeks * 7)), **quick)
        review.run_to(CycleState.REPORT_DRAFT)
        decide(review, *_outcome(review, number))


def _decided_last_year(review, outcome, reasons):
    """The pilot year's way: the decision recorded by an administrator, with no report issued in the
    app (an administrator can issue one from the report page), and the cycle closed six weeks later."""
    with as_if_on(review.timeline["decided"]):
        valid_until = add_years(review.timeline["decided"], 3) if outcome in AWARD_OUTCOMES else None
        record_decision(review.cycle, outcome=outcome, rationale=reasons, valid_until=valid_until,
                        recorded_by=review.admin, recommended_by=review.lead)
    with as_if_on(review.timeline["closed"]):
        close_cycle(review.cycle, closed_by=review.admin)


def _outcome(review, number):
    """(outcome, reasons): an award where the agreed ratings meet the rule, some with conditions."""
    if not decision_for(review.cycle).recommended:
        return DecisionOutcome.NOT_AWARDED, REASONS[DecisionOutcome.NOT_AWARDED]
    outcome = DecisionOutcome.AWARDED_WITH_CONDITIONS if number % 3 == 1 else DecisionOutcome.AWARDED
    return outcome, REASONS[outcome]
