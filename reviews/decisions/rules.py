"""Who may do what in deciding a review: recommending and ratifying, follow-ups, appeals, and the
award's interim review. Pages open for those who may see what they show (reviews/disclosure.py)."""

import rules

from reviews.cycles.rules import is_lead_reviewer, works_in_cycle_service
from reviews.decisions.models import FollowUpStatus
from reviews.disclosure import Fact, discloses

# --- recommending and ratifying -------------------------------------------------------------------

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
rules.add_rule("view_appeal", discloses(Fact.APPEAL))
rules.add_rule("view_interim_review", discloses(Fact.INTERIM_REVIEW))
