"""Who may do what in deciding a review: recommending and ratifying, follow-ups, appeals, and the
award's interim review. Pages open for those who may see what they show (reviews/disclosure.py)."""

import rules

from assurance.rules import is_network_admin
from reviews.cycles.rules import is_lead_reviewer, leads_cycle_service, report_is_final, works_in_cycle_service
from reviews.decisions.models import AppealStatus, FollowUpStatus
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
