"""Who may do what in deciding a review: recommending and ratifying, follow-ups, appeals, and the
award's interim review. Pages open for those who may see what they show (reviews/disclosure.py)."""

import rules

from assurance.rules import is_network_admin
from reviews.cycles.rules import (
    is_lead_reviewer,
    is_on_review_team,
    leads_cycle_service,
    report_is_draft,
    report_is_final,
    works_in_cycle_service,
)
from reviews.decisions.models import AppealStatus, FollowUpStatus, RecommendationStatus
from reviews.disclosure import Fact, discloses
from reviews.peer.ties import tie_to

# --- recommending and ratifying -------------------------------------------------------------------


@rules.predicate
def is_tied_to_cycle_service(user, cycle):
    """Belongs to the service or its organisation, commissions it, or declared a conflict of interest
    with it or its organisation (reviews/peer/ties.py)."""
    return tie_to(user, cycle.service) is not None


@rules.predicate
def recommendation_is_pending(user, cycle):
    """A recommendation of the review (its report a draft) or of its follow-up waits for ratification."""
    return cycle.recommendations.filter(status=RecommendationStatus.PENDING).exists()


rules.add_rule("recommend_outcome", is_lead_reviewer & report_is_draft)
# Whoever recommended it may not ratify it either: the service checks that (it needs the recommendation).
rules.add_rule("ratify_recommendation",
               is_network_admin & ~is_on_review_team & ~is_tied_to_cycle_service & recommendation_is_pending)
rules.add_rule("view_recommendation", discloses(Fact.RECOMMENDATION))
rules.add_rule("see_ratification_queue", is_network_admin)

# --- the follow-up after a deferral ---------------------------------------------------------------


@rules.predicate
def follow_up_waits_for_service(user, cycle):
    return cycle.follow_ups.filter(status=FollowUpStatus.OPEN).exists()


@rules.predicate
def follow_up_waits_for_lead(user, cycle):
    return cycle.follow_ups.filter(status=FollowUpStatus.SUBMITTED).exists()


rules.add_rule("answer_follow_up", works_in_cycle_service & follow_up_waits_for_service)
rules.add_rule("rate_follow_up", is_lead_reviewer & follow_up_waits_for_lead)

# --- appeals, the award and its interim review -----------------------------------------------------

rules.add_rule("view_follow_up", discloses(Fact.FOLLOW_UP))


@rules.predicate
def sits_on_open_appeal_panel(user, cycle):
    return cycle.appeals.filter(status=AppealStatus.LODGED, panel=user).exists()


rules.add_rule("view_appeal", discloses(Fact.APPEAL))
# The window and the one-open-appeal rule are checked by the service (they need the decision).
rules.add_rule("lodge_appeal", leads_cycle_service & report_is_final)
rules.add_rule("withdraw_appeal", leads_cycle_service & report_is_final)
rules.add_rule("appoint_appeal_panel", is_network_admin & report_is_final)
rules.add_rule("decide_appeal", is_network_admin & report_is_final & sits_on_open_appeal_panel)
rules.add_rule("view_interim_review", discloses(Fact.INTERIM_REVIEW))
rules.add_rule("request_interim_review", is_network_admin & report_is_final)
rules.add_rule("update_interim_review", works_in_cycle_service & report_is_final)
rules.add_rule("read_interim_review", (is_lead_reviewer | is_network_admin) & report_is_final)
